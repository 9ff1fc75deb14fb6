/**
 * The web console of the bundled backend: a route of the backend's HTTP server under {@code /console} with pages,
 * ES modules and JSON endpoints that read the backend's store. The store knows nothing of it.
 */
package io.runnel.console;
