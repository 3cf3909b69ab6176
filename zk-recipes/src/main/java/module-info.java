/**
 * LoomZK recipes: protected create, an exclusive lock, leader election and the coordination catalogue
 * (counter, barriers, queue, group membership, persistent node, leader task), built on the public
 * {@code io.loomzk.client} API only. See {@link io.loomzk.recipes} for the design note.
 */
module io.loomzk.recipes {
    requires transitive io.loomzk.client;

    exports io.loomzk.recipes;
}
