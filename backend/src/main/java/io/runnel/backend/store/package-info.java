/**
 * The backend's stream storage: per-shard append-only logs, sequence numbers and iterator tokens.
 * Not API for users of the backend (they talk to it over HTTP); classes here are used by the backend's actions.
 */
package io.runnel.backend.store;
