package com.qualys.lambdascanner.scan;

import com.qualys.lambdascanner.common.aws.HttpClientModule;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.json.JsonModule;
import com.qualys.lambdascanner.common.log.LogModule;
import dagger.Component;
import javax.inject.Singleton;

/** Run QScanner's object graph: one per container. */
@Singleton
@Component(modules = {RunQScannerModule.class, HttpClientModule.class, JsonModule.class, LogModule.class})
public interface RunQScannerComponent {

  RunQScanner runQScanner();

  JsonCodec json();
}
