package com.qualys.lambdascanner.common.log;

import com.qualys.lambdascanner.common.json.JsonCodec;
import dagger.Module;
import dagger.Provides;
import javax.inject.Singleton;

@Module
public interface LogModule {

  @Provides
  @Singleton
  static StructuredLog structuredLog(JsonCodec json) {
    return new StructuredLog(json);
  }
}
