package io.github.iottelemetry.localca;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local cloud's certificate authority, standing in for the AWS IoT CA: it lives in one folder
 * ({@code ca.pem}, {@code ca.key.pem}, {@code crl.pem}), is created on first use and reused afterwards, so
 * device certificates issued earlier keep working across restarts. Device certificates carry the thing name
 * as CN; revocation writes a signed CRL that the broker reads at every connect.
 */
public final class LocalCertificateAuthority {

    public static final String CA_CERTIFICATE_FILE = "ca.pem";
    public static final String CA_PRIVATE_KEY_FILE = "ca.key.pem";
    public static final String REVOCATION_LIST_FILE = "crl.pem";

    /** The thing name rule of the design (DESIGN.md), which is also what an AWS thing name allows. */
    private static final Pattern THING_NAME = Pattern.compile("[A-Za-z0-9:_-]{1,128}");

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(825);
    /** Tolerates a clock that runs a little behind the one that issued the certificate. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private final Path folder;
    private final X509Certificate caCertificate;
    private final PrivateKey caPrivateKey;
    private final SecureRandom random = new SecureRandom();

    private LocalCertificateAuthority(Path folder, X509Certificate caCertificate, PrivateKey caPrivateKey) {
        this.folder = folder;
        this.caCertificate = caCertificate;
        this.caPrivateKey = caPrivateKey;
    }

    /** The CA in {@code folder}: loaded when {@code ca.pem} exists there, else created (with an empty CRL). */
    public static synchronized LocalCertificateAuthority openOrCreate(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        Path certificateFile = absolute.resolve(CA_CERTIFICATE_FILE);
        Path keyFile = absolute.resolve(CA_PRIVATE_KEY_FILE);
        if (Files.exists(certificateFile)) {
            if (!Files.exists(keyFile)) {
                throw new IllegalStateException("local CA in " + absolute + " has " + CA_CERTIFICATE_FILE + " but no "
                        + CA_PRIVATE_KEY_FILE
                        + ": restore the key or delete the folder to create a new CA (every device"
                        + " certificate must then be issued again)");
            }
            LocalCertificateAuthority ca = new LocalCertificateAuthority(
                    absolute, PemFiles.readCertificate(certificateFile), PemFiles.readPrivateKey(keyFile));
            if (!Files.exists(ca.revocationListFile())) {
                ca.writeRevocationList(null);
            }
            return ca;
        }
        KeyPair keys = newEcKeyPair();
        X500Name name = new X500Name("CN=iot-telemetry-pipeline local CA,O=iot-telemetry-pipeline");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name,
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(CA_VALIDITY)),
                name,
                keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add extensions to the local CA certificate", e);
        }
        X509Certificate certificate = sign(builder, keys.getPrivate());
        PemFiles.writeAtomically(keyFile, PemFiles.privateKeyPem(keys.getPrivate()));
        restrictToOwner(keyFile);
        PemFiles.writeAtomically(certificateFile, PemFiles.certificatePem(certificate));
        LocalCertificateAuthority ca = new LocalCertificateAuthority(absolute, certificate, keys.getPrivate());
        ca.writeRevocationList(null);
        return ca;
    }

    public Path folder() {
        return folder;
    }

    /** The CA certificate (PEM) that clients trust: {@code IOT_CA_FILE}. */
    public Path certificateFile() {
        return folder.resolve(CA_CERTIFICATE_FILE);
    }

    public Path revocationListFile() {
        return folder.resolve(REVOCATION_LIST_FILE);
    }

    public X509Certificate certificate() {
        return caCertificate;
    }

    /**
     * Issues a device certificate with CN = {@code thingName} and a new EC P-256 key, written to
     * {@code outputFolder} as {@code <thing>.cert.pem} and {@code <thing>.key.pem} (PKCS#8). Issuing again for
     * the same thing gives a new certificate; the old one stays valid until revoked.
     */
    public DeviceCredentials issueDeviceCertificate(String thingName, Path outputFolder) {
        if (!THING_NAME.matcher(thingName).matches()) {
            throw new IllegalArgumentException(
                    "thing name '" + thingName + "' is not allowed: use 1 to 128 of [A-Za-z0-9:_-]");
        }
        KeyPair keys = newEcKeyPair();
        X509Certificate certificate = issueLeaf(new X500Name("CN=" + thingName), keys, false);
        Path certificateFile = outputFolder.resolve(thingName + ".cert.pem");
        Path keyFile = outputFolder.resolve(thingName + ".key.pem");
        PemFiles.writeAtomically(keyFile, PemFiles.privateKeyPem(keys.getPrivate()));
        restrictToOwner(keyFile);
        PemFiles.writeAtomically(certificateFile, PemFiles.certificatePem(certificate));
        return new DeviceCredentials(thingName, certificateFile, keyFile, certificate.getSerialNumber());
    }

    /**
     * A JKS key store with a new server certificate for 127.0.0.1 and localhost, chained to this CA: the
     * broker's TLS identity. Made fresh at every broker start, so it is never stale.
     */
    public Path writeServerKeyStore(Path keyStoreFile, char[] password) {
        KeyPair keys = newEcKeyPair();
        X509Certificate certificate = issueLeaf(new X500Name("CN=localhost"), keys, true);
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry("broker", keys.getPrivate(), password, new Certificate[] {certificate, caCertificate});
            writeKeyStore(store, keyStoreFile, password);
            return keyStoreFile;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "cannot write the broker key store " + keyStoreFile + ": " + e.getMessage(), e);
        }
    }

    /** A JKS trust store holding only this CA: the broker accepts client certificates it issued, nothing else. */
    public Path writeTrustStore(Path trustStoreFile, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setCertificateEntry("local-ca", caCertificate);
            writeKeyStore(store, trustStoreFile, password);
            return trustStoreFile;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "cannot write the broker trust store " + trustStoreFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds the certificate with {@code serialNumber} to the CRL. The broker refuses it at the device's next
     * connect; a connection already open stays open, as in IoT Core.
     */
    public synchronized void revoke(BigInteger serialNumber) {
        writeRevocationList(serialNumber);
    }

    /** Revokes the certificate in a PEM file (as written by {@link #issueDeviceCertificate}). */
    public DeviceCredentials revoke(Path certificateFile) {
        X509Certificate certificate = PemFiles.readCertificate(certificateFile);
        if (!certificate.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal())) {
            throw new IllegalArgumentException(certificateFile + " was issued by "
                    + certificate.getIssuerX500Principal() + ", not by the local CA in " + folder);
        }
        revoke(certificate.getSerialNumber());
        return new DeviceCredentials(thingName(certificate), certificateFile, null, certificate.getSerialNumber());
    }

    /** The CN of a certificate's subject: the thing name of a device certificate. Empty when there is none. */
    public static String thingName(X509Certificate certificate) {
        X500Name subject =
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        var names = subject.getRDNs(BCStyle.CN);
        return names.length == 0
                ? ""
                : IETFUtils.valueToString(names[0].getFirst().getValue());
    }

    /** What IoT Core calls the certificate id, and what principal() returns: the SHA-256 of the DER encoding, hex. */
    public static String certificateId(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot fingerprint certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** Whether {@code certificate} carries this CA's signature. */
    public boolean issued(X509Certificate certificate) {
        if (!certificate.getIssuerX500Principal().equals(caCertificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(caCertificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private X509Certificate issueLeaf(X500Name subject, KeyPair keys, boolean server) {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                caCertificate,
                new BigInteger(127, random),
                Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(LEAF_VALIDITY)),
                subject,
                keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add extensions to the certificate for " + subject, e);
        }
        return sign(builder, caPrivateKey);
    }

    /** Rewrites the CRL with every entry of the current one, plus {@code newlyRevoked} when not null. */
    private void writeRevocationList(BigInteger newlyRevoked) {
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(CA_VALIDITY)));
        if (Files.exists(revocationListFile())) {
            builder.addCRL(PemFiles.readCrl(revocationListFile()));
        }
        if (newlyRevoked != null) {
            builder.addCRLEntry(newlyRevoked, Date.from(now), CRLReason.keyCompromise);
        }
        try {
            X509CRLHolder crl = builder.build(signer(caPrivateKey));
            PemFiles.writeAtomically(revocationListFile(), PemFiles.crlPem(crl));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot write the certificate revocation list " + revocationListFile() + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a certificate: " + e.getMessage(), e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(
                    "no " + SIGNATURE_ALGORITHM + " signer for a " + key.getAlgorithm() + " key", e);
        }
    }

    private static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    private static void writeKeyStore(KeyStore store, Path file, char[] password)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
    }

    private static void restrictToOwner(Path keyFile) {
        try {
            if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(
                        keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make private key " + keyFile + " readable by its owner only", e);
        }
    }

    @Override
    public String toString() {
        return "local CA " + caCertificate.getSubjectX500Principal().getName().toLowerCase(Locale.ROOT) + " in "
                + folder;
    }
}
