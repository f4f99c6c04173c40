package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** What LocalPipelineExtension fills, checked before it starts a pipeline (the ITs run the rest). */
class LocalPipelineExtensionTest {

  static class Declared {
    @InjectPipeline private static LocalPipeline pipeline;
    @InjectPipeline private static Leaks leaks;
    @InjectPipeline private static Scans scans;
    private static LocalPipeline notInjected;
  }

  static class NotStatic {
    @InjectPipeline private LocalPipeline pipeline;
  }

  static class OtherType {
    @InjectPipeline private static String pipeline;
  }

  @Test
  void injectedFields_whenStaticFieldsOfTheThreeTypes_expectationEachAnnotatedOne() {
    assertThat(LocalPipelineExtension.injectedFields(Declared.class)).extracting(Field::getName)
        .containsExactlyInAnyOrder("pipeline", "leaks", "scans");
  }

  @Test
  void injectedFields_whenInstanceField_expectationConfigurationErrorNamingIt() {
    assertThatThrownBy(() -> LocalPipelineExtension.injectedFields(NotStatic.class))
        .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining("NotStatic.pipeline")
        .hasMessageContaining("must be static");
  }

  @Test
  void injectedFields_whenOtherType_expectationConfigurationErrorNamingIt() {
    assertThatThrownBy(() -> LocalPipelineExtension.injectedFields(OtherType.class))
        .isInstanceOf(ExtensionConfigurationException.class).hasMessageContaining("OtherType.pipeline")
        .hasMessageContaining("[LocalPipeline, Leaks, Scans]");
  }
}
