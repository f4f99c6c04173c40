package com.qualys.lambdascanner.local;

import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;

/**
 * The one way an integration test gets the local pipeline, as Testcontainers' {@code @Container} gets a container:
 * started once per test class, with the IAM enforcement every run has (docs/local.md "Authorization"), handed to
 * the class's {@link InjectPipeline} fields before its own {@code @BeforeAll} methods, and stopped after its own
 * {@code @AfterAll} methods.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final LocalPipelineExtension PIPELINE = LocalPipelineExtension.start("findings",
 *     PipelineSettings.Options.defaults().withMaxConcurrency(2));
 * &#64;InjectPipeline private static LocalPipeline pipeline;
 * &#64;InjectPipeline private static Leaks leaks;
 * </pre>
 *
 * <p>There is deliberately no way for a test to turn enforcement off: only {@code AUTHZ=off} in the environment (or
 * {@code -Dauthz=off} for the JVM) does, for debugging, and the extension says so on the console.
 */
final class LocalPipelineExtension implements BeforeAllCallback, AfterAllCallback {

  private static final List<Class<?>> INJECTABLE = List.of(LocalPipeline.class, Leaks.class, Scans.class);

  private final String scenario;
  private final Supplier<PipelineSettings.Options> options;
  private LocalPipeline pipeline;

  private LocalPipelineExtension(String scenario, Supplier<PipelineSettings.Options> options) {
    this.scenario = scenario;
    this.options = options;
  }

  /** The pipeline in the default account and region, its stand-in scanner running {@code scenario} for every target. */
  static LocalPipelineExtension start(String scenario) {
    return start(scenario, PipelineSettings.Options.defaults());
  }

  /** As {@link #start(String)}, with the differences {@code options} names. */
  static LocalPipelineExtension start(String scenario, PipelineSettings.Options options) {
    return new LocalPipelineExtension(scenario, () -> options);
  }

  /** As {@link #start(String, PipelineSettings.Options)}, with options that can only be made when the class starts. */
  static LocalPipelineExtension start(String scenario, Supplier<PipelineSettings.Options> options) {
    return new LocalPipelineExtension(scenario, options);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    // Misdeclared fields fail before minutes go into starting the pipeline.
    List<Field> fields = injectedFields(context.getRequiredTestClass());
    pipeline = LocalPipeline.start(Samples.projectRoot(), PipelineSettings.DEFAULT_ACCOUNT, PipelineSettings.DEFAULT_REGION,
        scenario, options.get());
    if (pipeline.authorization() == null) {
      System.err.println("WARNING " + context.getDisplayName() + ": AUTHZ=off, no IAM policy is enforced");
    }
    Leaks leaks = new Leaks(pipeline);
    Scans scans = new Scans(pipeline, leaks);
    for (Field field : fields) {
      field.setAccessible(true);
      field.set(null, field.getType() == LocalPipeline.class ? pipeline
          : field.getType() == Leaks.class ? leaks : scans);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }

  /** The class's {@link InjectPipeline} fields; a misdeclared one is a configuration error naming it. */
  static List<Field> injectedFields(Class<?> testClass) {
    List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, InjectPipeline.class,
        field -> true, HierarchyTraversalMode.TOP_DOWN);
    for (Field field : fields) {
      if (!ModifierSupport.isStatic(field) || !INJECTABLE.contains(field.getType())) {
        throw new ExtensionConfigurationException("@InjectPipeline " + field + ": must be static, of type "
            + INJECTABLE.stream().map(Class::getSimpleName).toList());
      }
    }
    return fields;
  }
}
