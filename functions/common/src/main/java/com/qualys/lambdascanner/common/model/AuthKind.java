package com.qualys.lambdascanner.common.model;

/** How the Qualys secret authenticates: one access token, or a client id and secret pair. */
public enum AuthKind {
  ACCESS_TOKEN,
  CLIENT_CREDENTIALS
}
