/** The Kinesis actions of the backend: wire models in, store calls, wire models out. Not API. */
package io.runnel.backend.api;
