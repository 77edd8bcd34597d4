package io.github.iottelemetry.localca;

import java.math.BigInteger;
import java.nio.file.Path;

/**
 * What a device needs to connect: its certificate (CN = thing name) and private key (PKCS#8 PEM), plus the
 * serial number that {@link LocalCertificateAuthority#revoke} takes.
 */
public record DeviceCredentials(String thingName, Path certificateFile, Path privateKeyFile, BigInteger serialNumber) {}
