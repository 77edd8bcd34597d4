package io.github.iottelemetry.localca;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM reading and writing for the CA's files. Private keys are always written as PKCS#8 ("BEGIN PRIVATE KEY"):
 * {@code JcaPEMWriter} on a SunEC key writes an EC key that the device SDK cannot read (NOTES.md).
 */
final class PemFiles {

    private PemFiles() {}

    static String certificatePem(X509Certificate certificate) {
        return pem(certificate);
    }

    static String privateKeyPem(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + key.getAlgorithm() + " private key as PKCS#8", e);
        }
    }

    static String crlPem(X509CRLHolder crl) {
        return pem(crl);
    }

    static X509Certificate readCertificate(Path file) {
        Object object = readObject(file);
        if (!(object instanceof X509CertificateHolder holder)) {
            throw new IllegalStateException(file + " holds no PEM certificate (found " + describe(object) + ")");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException(file + " holds a certificate Java cannot decode: " + e.getMessage(), e);
        }
    }

    static PrivateKey readPrivateKey(Path file) {
        Object object = readObject(file);
        if (!(object instanceof PrivateKeyInfo info)) {
            throw new IllegalStateException(file + " holds no PKCS#8 private key (found " + describe(object) + ")");
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " holds a private key Java cannot decode", e);
        }
    }

    static X509CRLHolder readCrl(Path file) {
        Object object = readObject(file);
        if (!(object instanceof X509CRLHolder crl)) {
            throw new IllegalStateException(
                    file + " holds no PEM certificate revocation list (found " + describe(object) + ")");
        }
        return crl;
    }

    /** Writes through a temporary file and a rename, so a reader (the broker) never sees half a file. */
    static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Object readObject(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PEM file " + file, e);
        }
    }

    private static String describe(Object object) {
        return object == null ? "nothing" : object.getClass().getSimpleName();
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + object.getClass().getSimpleName() + " as PEM", e);
        }
        return text.toString();
    }
}
