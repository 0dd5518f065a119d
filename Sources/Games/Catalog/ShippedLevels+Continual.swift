/// The first ten levels of `priors/continual`: the exact text of `envs/priors/levels/<name>.txt`, so a registered id needs no file.
/// `CatalogTests` keeps the two equal.
extension ShippedLevels {
  static let map0 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map0.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..........P.HH|
    |.........###HH|
    |............HH|
    |............HH|
    |............HH|
    |............HH|
    |.....E.S...#HH|
    |FF############|
    |..............|
    |..............|
    |..............|
    |..............|
    |########FFF###|
    |..............|
    """

  static let map1 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map1.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..........P.HH|
    |.........###HH|
    |............HH|
    |............HH|
    |............HH|
    |............HH|
    |HH...E......HH|
    |HH############|
    |HH............|
    |HH............|
    |HH............|
    |HH...S........|
    |########FFF###|
    |..............|
    """

  static let map2 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map2.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |............HH|
    |HH...P.E.###HH|
    |HH########..HH|
    |HH..........HH|
    |HH..........HH|
    |HH..........HH|
    |HH...E.S...#HH|
    |##############|
    |..............|
    |..............|
    |..............|
    |..............|
    |########FFF###|
    |..............|
    """

  static let map3 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map3.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |.........###..|
    |##########....|
    |..............|
    |..............|
    |..............|
    |....S.....HH.P|
    |FF####....HH##|
    |..........HH..|
    |..........HH..|
    |..........HH..|
    |....E.....HH..|
    |##############|
    |..............|
    """

  static let map4 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map4.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |.........###..|
    |##########....|
    |..............|
    |..............|
    |..............|
    |....S...E....P|
    |FF############|
    |..............|
    |..............|
    |..............|
    |....E.........|
    |##############|
    |..............|
    """

  static let map5 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map5.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |...S...HH#####|
    |#######HH#....|
    |.......HH.....|
    |.......HH.....|
    |.......HH.....|
    |.......HH.....|
    |..########FF##|
    |..............|
    |..............|
    |..............|
    |.......P...E..|
    |##############|
    |..............|
    """

  static let map6 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map6.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |...S...HH#####|
    |#######HH#....|
    |.......HH.....|
    |.......HH.....|
    |.......HH.....|
    |....HH.HH.....|
    |####HH########|
    |....HH........|
    |....HH........|
    |....HH........|
    |....HH..E..P..|
    |##############|
    |..............|
    """

  static let map7 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map7.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |...P...HH#FF##|
    |#######HH#....|
    |.......HH.....|
    |.......HH.....|
    |.......HH.....|
    |....HH.HH.....|
    |####HH########|
    |....HH........|
    |....HH........|
    |....HH........|
    |..S.HH..E.....|
    |##############|
    |..............|
    """

  static let map8 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map8.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |.......HH..E..|
    |...F...HH#####|
    |#######HH.....|
    |.......HH.....|
    |.......HH..P..|
    |.......HH#####|
    |....HH.HH.....|
    |####HH###.....|
    |....HH........|
    |....HH........|
    |....HH........|
    |..S.HH..E.....|
    |##############|
    |..............|
    """

  static let map9 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map9.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |.........HHP..|
    |.........HH###|
    |....HH...HH...|
    |#FF#HH########|
    |....HH........|
    |....HH........|
    |....HH.S......|
    |####HH######FF|
    |....HH........|
    |....HH........|
    |....HH........|
    |....HH..E.....|
    |##############|
    |..............|
    """
}
