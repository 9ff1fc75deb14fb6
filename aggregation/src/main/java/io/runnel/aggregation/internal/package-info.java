/** Encoding helpers of the aggregation module. Not API: may change without notice. */
package io.runnel.aggregation.internal;
