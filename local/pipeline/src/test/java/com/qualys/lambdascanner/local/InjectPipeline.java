package com.qualys.lambdascanner.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A static field of an integration test that its {@link LocalPipelineExtension} fills before the class's own
 * {@code @BeforeAll} methods run: a {@link LocalPipeline}, the {@link Leaks} that watch it, or {@link Scans} over both.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@interface InjectPipeline {
}
