package io.github.iottelemetry.localiot.actions;

import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** S3: the rule's output as one object, bucket and key from substitution templates. */
public final class S3Action implements RuleAction {

    private final S3Client s3;
    private final SubstitutionTemplate bucket;
    private final SubstitutionTemplate key;
    private final Executor executor;

    public S3Action(S3Client s3, SubstitutionTemplate bucket, SubstitutionTemplate key, Executor executor) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.executor = executor;
    }

    @Override
    public String failedActionName() {
        return "S3Action";
    }

    @Override
    public CompletableFuture<Void> execute(RuleInvocation invocation, byte[] output) {
        MessageContext context = invocation.context();
        String bucketName = bucket.render(context);
        String objectKey = key.render(context);
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        s3.putObject(
                                request -> request.bucket(bucketName).key(objectKey), RequestBody.fromBytes(output));
                    } catch (RuntimeException e) {
                        throw new ActionFailure(
                                failedActionName(),
                                bucketName,
                                "Failed to put S3 object " + objectKey + ": " + e.getMessage(),
                                e);
                    }
                },
                executor);
    }
}
