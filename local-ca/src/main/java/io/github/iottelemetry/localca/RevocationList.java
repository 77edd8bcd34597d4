package io.github.iottelemetry.localca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The broker's view of the CA's {@code crl.pem}: re-read whenever the file changes (a {@code revoke} run by
 * another process), so a revoked device is locked out at its next connect without a broker restart. A CRL
 * that is unreadable or not signed by the CA makes every check fail closed.
 */
public final class RevocationList {

    private final Path file;
    private final X509Certificate caCertificate;
    private FileTime loadedModified;
    private long loadedSize = -1;
    private X509CRLHolder crl;
    private String loadError;

    public RevocationList(LocalCertificateAuthority ca) {
        this.file = ca.revocationListFile();
        this.caCertificate = ca.certificate();
    }

    /**
     * Whether the certificate with {@code serialNumber} is revoked.
     *
     * @throws IllegalStateException when the CRL cannot be trusted, so the caller refuses the connection
     */
    public synchronized boolean isRevoked(BigInteger serialNumber) {
        refresh();
        if (loadError != null) {
            throw new IllegalStateException(loadError);
        }
        return crl.getRevokedCertificate(serialNumber) != null;
    }

    private void refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(loadedModified) && size == loadedSize) {
                return;
            }
            X509CRLHolder candidate = PemFiles.readCrl(file);
            if (!candidate.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().build(new JcaX509CertificateHolder(caCertificate)))) {
                loadError = "revocation list " + file + " is not signed by the local CA";
            } else {
                crl = candidate;
                loadError = null;
            }
            loadedModified = modified;
            loadedSize = size;
        } catch (IOException
                | RuntimeException
                | java.security.GeneralSecurityException
                | org.bouncycastle.operator.OperatorCreationException
                | org.bouncycastle.cert.CertException e) {
            loadError = "cannot read revocation list " + file + ": " + e.getMessage();
            loadedModified = null;
        }
    }
}
