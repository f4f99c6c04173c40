package com.qualys.lambdascanner.common.model;

/**
 * One vulnerable package of a finding (a finding may affect several packages, in several layers).
 *
 * @param name the package's name
 * @param installedVersion the version found
 * @param fixedVersion the first fixed version, if known
 * @param layerSha the digest of the image layer holding it, if the report names one
 */
public record VulnerablePackage(String name, String installedVersion, String fixedVersion, String layerSha) {}
