package io.github.iottelemetry.localiot.broker;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.localca.RevocationList;
import io.github.iottelemetry.localiot.LocalIotCounters;
import io.github.iottelemetry.localiot.policy.DeviceAuthorization;
import io.github.iottelemetry.localiot.policy.PolicyDecision;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Connect-time identity and policy, as in IoT Core: the thing name is the client certificate's CN, the
 * certificate must be issued by the local CA, unexpired and not revoked, and the policy must allow
 * {@code iot:Connect} on {@code client/<client id>}. Usernames and passwords are ignored (the device SDK sends
 * its own username). With the insecure plain-TCP listener there is no certificate: the client id is taken as
 * the thing name, and only the policy applies.
 */
final class DeviceAuthenticator implements SimpleAuthenticator {

    private final LocalCertificateAuthority ca;
    private final RevocationList revocations;
    private final DeviceAuthorization authorization;
    private final boolean requireCertificate;
    private final LocalIotCounters counters;
    private final SecurityLog log;

    DeviceAuthenticator(
            LocalCertificateAuthority ca,
            DeviceAuthorization authorization,
            boolean requireCertificate,
            LocalIotCounters counters,
            SecurityLog log) {
        this.ca = ca;
        this.revocations = new RevocationList(ca);
        this.authorization = authorization;
        this.requireCertificate = requireCertificate;
        this.counters = counters;
        this.log = log;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<X509Certificate> certificate = input.getConnectionInformation()
                .getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificate);
        DeviceIdentity identity;
        if (certificate.isPresent()) {
            String refusal = certificateRefusal(certificate.get());
            if (refusal != null) {
                refuse(output, clientId, refusal);
                return;
            }
            X509Certificate device = certificate.get();
            identity = DeviceIdentity.of(
                    LocalCertificateAuthority.thingName(device),
                    clientId,
                    LocalCertificateAuthority.certificateId(device));
        } else if (requireCertificate) {
            refuse(output, clientId, "no client certificate (the TLS listener requires one issued by the local CA)");
            return;
        } else {
            identity = DeviceIdentity.of(clientId, clientId, "");
        }
        PolicyDecision decision = authorization.connect(identity.policyVariables(), clientId);
        if (!decision.allowed()) {
            refuse(
                    output,
                    clientId,
                    "iot:Connect as client id '" + clientId + "' by thing '" + identity.thingName() + "': "
                            + decision.reason());
            return;
        }
        identity.storeIn(input.getConnectionInformation().getConnectionAttributeStore());
        counters.connectionsAccepted.increment();
        output.authenticateSuccessfully();
    }

    /** Why the certificate is not acceptable, or null when it is. */
    private String certificateRefusal(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        if (!ca.issued(certificate)) {
            return "certificate " + subject + " is not issued by the local CA (issuer "
                    + certificate.getIssuerX500Principal().getName() + ")";
        }
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            return "certificate " + subject + " is outside its validity period: " + e.getMessage();
        }
        if (LocalCertificateAuthority.thingName(certificate).isEmpty()) {
            return "certificate " + subject + " has no CN to take the thing name from";
        }
        try {
            if (revocations.isRevoked(certificate.getSerialNumber())) {
                return "certificate " + subject + " serial "
                        + certificate.getSerialNumber().toString(16) + " is revoked";
            }
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        return null;
    }

    private void refuse(SimpleAuthOutput output, String clientId, String reason) {
        counters.connectionsRefused.increment();
        log.refused("connect", clientId, reason);
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, reason);
    }
}
