/** Not written yet: this module exports nothing until it has code. */
module io.loomzk.testing {}
