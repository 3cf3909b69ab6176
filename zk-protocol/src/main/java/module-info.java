module io.loomzk.protocol {
    exports io.loomzk.protocol;
}
