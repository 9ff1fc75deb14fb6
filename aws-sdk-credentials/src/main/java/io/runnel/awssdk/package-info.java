/**
 * Optional bridge to the AWS SDK v2: {@link io.runnel.awssdk.AwsSdkCredentials} lets Runnel sign with the credentials
 * of an {@code AwsCredentialsProvider} the application already configures. The only Runnel module that depends on
 * the SDK.
 */
package io.runnel.awssdk;
