/** The Netty HTTP/1.1 transport of the wire client. Not API: may change without notice. */
package io.runnel.wire.internal;
