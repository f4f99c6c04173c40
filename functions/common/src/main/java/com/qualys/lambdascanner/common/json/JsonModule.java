package com.qualys.lambdascanner.common.json;

import com.qualys.lambdascanner.common.secret.SecretGuard;
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

  /** The codec's guard: a function that holds secrets tells it which. */
  @Provides
  static SecretGuard secretGuard(JsonCodec json) {
    return json.guard();
  }
}
