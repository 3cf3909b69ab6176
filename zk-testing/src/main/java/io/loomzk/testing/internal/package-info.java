/**
 * The machinery behind {@code io.loomzk.testing}: child JVMs and their watchdog and reaper, port
 * and directory helpers, four-letter words, the server class-path descriptors, and a minimal raw
 * zk-protocol session. Public only so that {@code io.loomzk.testing} can use it across packages;
 * not an API, it changes without notice.
 */
package io.loomzk.testing.internal;
