package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.aws.HttpClientModule;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.json.JsonModule;
import com.qualys.lambdascanner.common.log.LogModule;
import com.qualys.lambdascanner.common.log.StructuredLog;
import com.qualys.lambdascanner.common.priming.Priming;
import dagger.Component;
import javax.inject.Singleton;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;

@Singleton
@Component(modules = {NotifyModule.class, HttpClientModule.class, JsonModule.class, LogModule.class})
public interface NotifyComponent {
  Notify notifier();

  JsonCodec json();

  Priming priming();

  StructuredLog log();

  SnsClient sns();

  EventBridgeClient eventBridge();
}
