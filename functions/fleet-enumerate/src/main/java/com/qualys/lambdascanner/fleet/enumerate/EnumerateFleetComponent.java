package com.qualys.lambdascanner.fleet.enumerate;

import com.qualys.lambdascanner.common.aws.HttpClientModule;
import com.qualys.lambdascanner.common.json.JsonCodec;
import com.qualys.lambdascanner.common.json.JsonModule;
import com.qualys.lambdascanner.common.log.LogModule;
import dagger.Component;
import javax.inject.Singleton;

/** Enumerate Functions' object graph, built once per container by the handler. */
@Singleton
@Component(modules = {EnumerateFleetModule.class, HttpClientModule.class, JsonModule.class, LogModule.class})
public interface EnumerateFleetComponent {

  EnumerateFleet enumerateFleet();

  JsonCodec json();
}
