/** The backend's HTTP server: Netty pipeline, request dispatch, errors, authentication. Not API. */
package io.runnel.backend.http;
