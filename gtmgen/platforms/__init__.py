"""The ad platforms gtmgen wires and recognises in any export, one folder each."""
