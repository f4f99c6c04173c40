package com.qualys.lambdascanner.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link LocalLambda}'s two loopback listeners (one as over HTTPS, one as AWS's plain {@code http://} endpoints) and
 * where each request goes: Invoke, the emulator's own {@code /_local/...} paths, the ECR registry, and everything else
 * forwarded to moto. Apart from LocalLambda so that the routing, and the state it depends on (enforcement, the event
 * bus), reads in one place.
 */
final class LambdaEndpoints implements AutoCloseable {

  private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpServer server;
  private final HttpServer plainServer;
  private final EcrRegistry registry;
  private final Forwarder forwarder;
  private final BiFunction<String, byte[], InvokeResult> invoker;
  private final Supplier<URI> forwardTo;
  private volatile Enforcement enforcement;
  private volatile ServiceRequests services;
  private volatile EventBus eventBus;

  /** {@code forwardTo}: moto's endpoint, where every request that is not the emulator's own goes. */
  LambdaEndpoints(EcrRegistry registry, Forwarder forwarder, Supplier<URI> forwardTo,
      BiFunction<String, byte[], InvokeResult> invoker) throws IOException {
    this.registry = registry;
    this.forwarder = forwarder;
    this.forwardTo = forwardTo;
    this.invoker = invoker;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    server.start();
    this.plainServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    plainServer.setExecutor(threads);
    plainServer.createContext("/", exchange -> {
      Transport.markPlain(exchange);
      serve(exchange);
    });
    plainServer.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  int plainPort() {
    return plainServer.getAddress().getPort();
  }

  /** The checks every request passes first, or null for none. */
  void enforce(Authorization authorization) {
    this.enforcement = authorization == null ? null : new Enforcement(authorization);
    this.services = authorization == null ? null : new ServiceRequests(authorization);
    forwarder.enforce(enforcement);
  }

  /** The service requests the emulator checks itself (AssumeRole by Lambda, deliveries), or null without enforcement. */
  ServiceRequests services() {
    return services;
  }

  void eventBus(EventBus bus) {
    this.eventBus = bus;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Matcher invoke = INVOKE.matcher(exchange.getRequestURI().getRawPath());
      if (exchange.getRequestURI().getRawPath().equals(RoleChecks.PATH)) {
        RoleChecks.answer(exchange, enforcement);
      } else if (exchange.getRequestMethod().equals("POST") && invoke.matches()) {
        InvokeEndpoint.serve(exchange, URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8), enforcement,
            threads, invoker);
      } else if (exchange.getRequestMethod().equals("POST")
          && exchange.getRequestURI().getRawPath().equals(ServiceRequests.PATH)) {
        ServiceRequests.serve(exchange, services);
      } else if (eventBus != null && exchange.getRequestURI().getPath().equals(EventBus.PATH)) {
        eventBus.matched(exchange);
      } else if (EcrRegistry.handles(exchange)) {
        registry.serve(exchange, enforcement);
      } else {
        forwarder.forward(exchange, forwardTo.get());
      }
    } catch (RuntimeException e) {
      byte[] body = Json.error("Runtime.Unknown", String.valueOf(e)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "ServiceException");
      exchange.sendResponseHeaders(500, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /** Stops both listeners and the requests still being served. */
  @Override
  public void close() {
    server.stop(0);
    plainServer.stop(0);
    threads.shutdownNow();
  }
}
