package com.qualys.lambdascanner.common.model;

/**
 * A layer attached to the target, by version ARN.
 *
 * @param arn the layer version ARN ({@code arn:aws:lambda:region:account:layer:name:version})
 * @param codeSha256 the layer's code hash where {@code GetLayerVersionByArn} gives it, else null
 */
public record Layer(String arn, String codeSha256) {}
