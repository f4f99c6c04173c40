package com.qualys.lambdascanner.store;

import java.util.function.Supplier;

/** This function's own account, looked up once (on first use) and remembered once it is known. */
final class OwnAccount implements Supplier<String> {

  private final Supplier<String> lookup;
  private volatile String account;

  OwnAccount(Supplier<String> lookup) {
    this.lookup = lookup;
  }

  @Override
  public String get() {
    String known = account;
    if (known == null) {
      known = lookup.get();
      account = known;
    }
    return known;
  }
}
