package com.qualys.lambdascanner.local;

import java.util.UUID;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The pipeline's own resources in the run's account and region, as the stack creates them: the results bucket, the
 * results bucket's KMS key, the findings topic (with two queues subscribed to read it back), the Qualys secret, the role
 * the targets run as.
 *
 * @param queueUrl the queue executions read their notification from
 * @param auditQueueUrl a second subscriber nobody reads during the run: every message ever published, for the leak
 *     checks
 * @param token the fake Qualys token in the secret
 */
record PipelineResources(String bucket, String keyArn, String topicArn, String queueUrl, String auditQueueUrl,
    String secretArn, String token, String roleArn) {

  static PipelineResources create(LocalClients clients, TargetFunctions targets, String account, String region) {
    String bucket = "qualys-lambda-scanner-results-" + account + "-" + region;
    clients.s3.createBucket(b -> {
      b.bucket(bucket);
      if (!region.equals("us-east-1")) {
        b.createBucketConfiguration(c -> c.locationConstraint(region));
      }
    });
    // As template.yaml's ResultsBucket: the stack's own key encrypts every object by default (SSE-KMS, bucket key).
    String keyArn = clients.kms.createKey(b -> b.description("the results bucket's key (ResultsKey)"))
        .keyMetadata().arn();
    clients.s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("aws:kms").kmsMasterKeyID(keyArn))
        .bucketKeyEnabled(true))));
    String topicArn = clients.sns.createTopic(b -> b.name("qualys-lambda-scanner-findings")).topicArn();
    String queueUrl = subscribedQueue(clients, topicArn, "qualys-lambda-scanner-findings-readback");
    String auditQueueUrl = subscribedQueue(clients, topicArn, "qualys-lambda-scanner-findings-audit");
    String token = "local-demo-token-" + UUID.randomUUID();
    String secretArn = clients.secrets.createSecret(b -> b.name("qualys-lambda-scanner/qualys")
        .secretString("{\"accessToken\": \"" + token + "\"}")).arn();
    String roleArn = targets.ensureRole(account);
    return new PipelineResources(bucket, keyArn, topicArn, queueUrl, auditQueueUrl, secretArn, token, roleArn);
  }

  private static String subscribedQueue(LocalClients clients, String topicArn, String name) {
    String url = clients.sqs.createQueue(b -> b.queueName(name)).queueUrl();
    String arn = clients.sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    clients.sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn));
    return url;
  }
}
