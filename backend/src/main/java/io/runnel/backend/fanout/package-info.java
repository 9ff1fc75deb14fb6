/**
 * Enhanced fan-out: SubscribeToShard subscriptions pushing records as AWS event-stream messages. Not API.
 */
package io.runnel.backend.fanout;
