package com.qualys.lambdascanner.common.json;

import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;

/** One {@link JsonCodec} per container. */
@Module
public interface JsonModule {

  @Provides
  @Singleton
  static JsonCodec jsonCodec() {
    return new JsonCodec();
  }
}
