/// The levels of the study variants (Dubey et al. 2018): the exact text of `envs/priors/levels/<name>.txt`, so a registered id needs no file.
/// `CatalogTests` keeps the two equal.
extension ShippedLevels {
  static let map = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map.txt
    ; size: 16x16 (cols x rows)
    ; used_by: originalgame, nosemantics
    ; player_start_px: 120 190
    ; princess_px: 30 47 18 25
    |..............|
    |..............|
    |..............|
    |......E.....HH|
    |###..#######HH|
    |............HH|
    |............HH|
    |............HH|
    |HH..........HH|
    |HH######..####|
    |HH............|
    |HH............|
    |HH............|
    |HH............|
    |########FFF###|
    |..............|
    """

  static let map_3 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map_3.txt
    ; size: 16x15 (cols x rows)
    ; used_by: noobject, noaffordance
    ; player_start_px: 120 180
    ; princess_px: 30 62 18 25
    |..............|
    |..............|
    |..............|
    |..............|
    |......E.....HH|
    |##..########HH|
    |............HH|
    |............HH|
    |HH..........HH|
    |HH######..####|
    |HH............|
    |HH............|
    |HH............|
    |########FFF###|
    |..............|
    """

  static let map_similarity = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map_similarity.txt
    ; size: 16x15 (cols x rows)
    ; used_by: nosimilarity
    ; player_start_px: 120 180
    ; princess_px: 30 62 18 25
    |..............|
    |..............|
    |..............|
    |..............|
    |......E.....hh|
    |dd..cccccccchh|
    |............hh|
    |............hh|
    |HH..........hh|
    |HHaaaaaa..bbbb|
    |HH............|
    |HH............|
    |HH............|
    |########FFFddd|
    |..............|
    """
}
