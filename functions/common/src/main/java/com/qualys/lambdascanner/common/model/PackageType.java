package com.qualys.lambdascanner.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lambda's own package types, spelled as the Lambda API spells them. */
public enum PackageType {
  @JsonProperty("Zip")
  ZIP,
  @JsonProperty("Image")
  IMAGE
}
