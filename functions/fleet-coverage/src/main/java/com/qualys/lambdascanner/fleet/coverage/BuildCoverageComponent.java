package com.qualys.lambdascanner.fleet.coverage;

import com.qualys.lambdascanner.common.aws.HttpClientModule;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.json.JsonModule;
import com.qualys.lambdascanner.common.log.LogModule;
import dagger.Component;
import javax.inject.Singleton;

/** Build Coverage's object graph, built once per container by the handler. */
@Singleton
@Component(modules = {BuildCoverageModule.class, HttpClientModule.class, JsonModule.class, LogModule.class})
public interface BuildCoverageComponent {

  BuildCoverage buildCoverage();

  JsonCodec json();
}
