package io.github.iottelemetry.iotrules;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.eval.Json;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * One incoming message as the rules engine sees it: the topic as the rule sees it (for Basic Ingest, without
 * the {@code $aws/rules/<ruleName>} prefix), the payload bytes, and the metadata that functions read. Build
 * one per message and share it between the rule's SQL and its actions' substitution templates: the payload
 * is parsed at most once, lazily, and {@code timestamp()} is the same everywhere. Not thread-safe.
 */
public final class MessageContext {

    /** What clientid() returns when a message did not arrive over MQTT (iot-sql-functions). */
    public static final String NO_CLIENT_ID = "n/a";

    private final String topic;
    private final byte[] payload;
    private final String clientId;
    private final String principal;
    private final long timestampMillis;
    private final Supplier<String> uuids;
    private final DoubleSupplier randoms;
    private final String accountId;
    private final String traceId;
    private JsonNode payloadJson;

    private MessageContext(Builder builder) {
        this.topic = Objects.requireNonNull(builder.topic, "topic");
        this.payload = Objects.requireNonNull(builder.payload, "payload");
        this.clientId = builder.clientId;
        this.principal = builder.principal;
        this.timestampMillis = builder.timestampMillis == null ? System.currentTimeMillis() : builder.timestampMillis;
        this.uuids = builder.uuids;
        this.randoms = builder.randoms;
        this.accountId = builder.accountId;
        this.traceId = builder.traceId;
    }

    public static Builder builder(String topic, byte[] payload) {
        return new Builder(topic, payload);
    }

    /** The topic that topic() reads. */
    public String topic() {
        return topic;
    }

    /** The payload bytes as published (not copied: do not modify). */
    public byte[] payload() {
        return payload;
    }

    public String clientId() {
        return clientId;
    }

    /** The certificate thumbprint or IAM id, or null when unknown (then principal() is Undefined). */
    public String principal() {
        return principal;
    }

    /** Epoch milliseconds at which the rules engine received the message: the value of timestamp(). */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** A fresh UUID string for each newuuid() call. */
    public String newUuid() {
        return uuids.get();
    }

    /** A fresh pseudorandom double in [0, 1) for each rand() call. */
    public double nextRandom() {
        return randoms.getAsDouble();
    }

    /** The id of the account that owns the rule, or null when unknown (then accountid() is Undefined). */
    public String accountId() {
        return accountId;
    }

    /** The MQTT message's trace id, or null when it did not arrive over MQTT or is unknown (traceid() is Undefined). */
    public String traceId() {
        return traceId;
    }

    /** The payload as JSON, parsed on first use; a MissingNode when the payload is not JSON (a binary payload). */
    public JsonNode payloadJson() {
        if (payloadJson == null) {
            payloadJson = Json.parsePayload(payload);
        }
        return payloadJson;
    }

    public static final class Builder {
        private final String topic;
        private final byte[] payload;
        private String clientId = NO_CLIENT_ID;
        private String principal;
        private Long timestampMillis;
        private Supplier<String> uuids = () -> UUID.randomUUID().toString();
        private DoubleSupplier randoms = () -> ThreadLocalRandom.current().nextDouble();
        private String accountId;
        private String traceId;

        private Builder(String topic, byte[] payload) {
            this.topic = topic;
            this.payload = payload;
        }

        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        public Builder principal(String principal) {
            this.principal = principal;
            return this;
        }

        /** Defaults to the time {@link #build()} is called. */
        public Builder timestampMillis(long timestampMillis) {
            this.timestampMillis = timestampMillis;
            return this;
        }

        /** Where newuuid() takes its values; tests pass a deterministic sequence. */
        public Builder uuidSupplier(Supplier<String> uuids) {
            this.uuids = Objects.requireNonNull(uuids, "uuids");
            return this;
        }

        /** Where rand() takes its values; tests pass a deterministic sequence. */
        public Builder randomSupplier(DoubleSupplier randoms) {
            this.randoms = Objects.requireNonNull(randoms, "randoms");
            return this;
        }

        /** The value of accountid(); Undefined when not given. */
        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        /** The value of traceid(); Undefined when not given, as for a message that did not arrive over MQTT. */
        public Builder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        public MessageContext build() {
            return new MessageContext(this);
        }
    }
}
