/// The last ten levels of `priors/continual`: the exact text of `envs/priors/levels/<name>.txt`, so a registered id needs no file.
/// `CatalogTests` keeps the two equal.
extension ShippedLevels {
  static let map10 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map10.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |.........HHS..|
    |.........HH###|
    |....HH...HH...|
    |#FF#HH########|
    |....HH........|
    |....HH........|
    |....HH........|
    |####HH######FF|
    |....HH........|
    |....HH........|
    |....HH........|
    |....HH..E.P...|
    |##############|
    |..............|
    """

  static let map11 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map11.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |.......#######|
    |#######..#....|
    |..............|
    |..............|
    |..............|
    |.......S...HH.|
    |#FF########HH#|
    |...........HH.|
    |...........HH.|
    |...........HH.|
    |.....P..E..HH.|
    |##############|
    |..............|
    """

  static let map12 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map12.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |...P..HH......|
    |######HH######|
    |......HH......|
    |......HH......|
    |......HH......|
    |......HH...HH.|
    |#FF##HH####HH#|
    |...........HH.|
    |...........HH.|
    |....S......HH.|
    |##############|
    |##############|
    |..............|
    """

  static let map13 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map13.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..........E.P.|
    |.S...E..######|
    |#########.....|
    |..............|
    |..............|
    |..............|
    |...........HH.|
    |#FF########HH#|
    |...........HH.|
    |...........HH.|
    |...........HH.|
    |........E..HH.|
    |##############|
    |..............|
    """

  static let map14 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map14.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |HH....P..###..|
    |HH########....|
    |HH............|
    |HH............|
    |HH............|
    |HH..S.........|
    |######.....###|
    |..............|
    |..............|
    |..............|
    |......FFFF....|
    |##############|
    |..............|
    """

  static let map15 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map15.txt
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
    |....S.....HH..|
    |######....HH##|
    |..........HH..|
    |..........HH..|
    |..........HH..|
    |....E....EHHP.|
    |#FF###########|
    |..............|
    """

  static let map16 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map16.txt
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
    |.P..HH.......S|
    |####HH####..##|
    |....HH........|
    |....HH........|
    |....HH........|
    |....HH........|
    |##############|
    |..............|
    """

  static let map17 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map17.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |....PHH.......|
    |...##HH.......|
    |.....HH....HH.|
    |###########HH#|
    |...........HH.|
    |...........HH.|
    |...........HH.|
    |......E.S.HH..|
    |##############|
    |..............|
    |..............|
    |..............|
    |....E.........|
    |##############|
    |..............|
    """

  static let map18 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map18.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |.......S.###..|
    |##########....|
    |..............|
    |..............|
    |..............|
    |....P...HH....|
    |########HH....|
    |........HH....|
    |........HH....|
    |........HH....|
    |....E...HH....|
    |##############|
    |..............|
    """

  static let map19 = """
    ; source: rachit-dubey/humanRL_prior_games@c9fff26af5df3e1cdea023536da5fda114ba5c60:map19.txt
    ; size: 16x16 (cols x rows)
    ; used_by: continualgame (random draw of map0..map19)
    ; player_start: tile S
    ; princess: tile P (sprite 18 wide x 23 high, centred on the tile)
    |..............|
    |..............|
    |..............|
    |.....E...E.S..|
    |##HH##########|
    |..HH..........|
    |..HH..........|
    |..HH..........|
    |..HH....HH....|
    |########HH....|
    |........HH....|
    |........HH....|
    |........HH....|
    |....E...HH..P.|
    |##############|
    |..............|
    """
}
