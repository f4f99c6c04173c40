package com.qualys.lambdascanner.resolve;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * One Lambda client per region, built on first use and kept for the container's life: an event forwarded
 * from another region names a function there, and GetFunction must be asked in the function's own region.
 */
public final class LambdaClients {

  private final Function<String, LambdaClient> factory;
  private final Map<String, LambdaClient> clients = new ConcurrentHashMap<>();

  public LambdaClients(Function<String, LambdaClient> factory) {
    this.factory = factory;
  }

  /** The client for a region (validated by the caller). */
  public LambdaClient forRegion(String region) {
    return clients.computeIfAbsent(region, factory);
  }
}
