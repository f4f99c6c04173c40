package com.qualys.lambdascanner.resolve.exposure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** One IAM client per partition (IAM is global within one), built on first use and kept for the container's life. */
public final class IamClients {

  private final Function<Region, IamClient> factory;
  private final Map<String, IamClient> clients = new ConcurrentHashMap<>();

  public IamClients(Function<Region, IamClient> factory) {
    this.factory = factory;
  }

  /** The client for {@code aws}, {@code aws-cn} or {@code aws-us-gov}. */
  public IamClient forPartition(String partition) {
    return clients.computeIfAbsent(partition, p -> factory.apply(switch (p) {
      case "aws-cn" -> Region.AWS_CN_GLOBAL;
      case "aws-us-gov" -> Region.AWS_US_GOV_GLOBAL;
      default -> Region.AWS_GLOBAL;
    }));
  }
}
