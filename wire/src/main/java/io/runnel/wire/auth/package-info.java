/** AWS Signature Version 4 and the credentials it signs with. */
package io.runnel.wire.auth;
