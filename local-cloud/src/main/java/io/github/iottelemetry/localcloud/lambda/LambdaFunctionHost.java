package io.github.iottelemetry.localcloud.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs a function the way the Lambda Java runtime does, in this JVM: the handler class and method from the
 * {@code Handler} string ({@code class::method}), loaded from the deployment package (classes at the root,
 * {@code lib/*.jar}) in a class loader of its own whose parent is the platform class loader, so nothing of the
 * local cloud leaks in; the event deserialized from JSON and the response serialized to JSON with the runtime's
 * own serialization library.
 *
 * <p>In-process rather than a child JVM per function: start-up stays under a second and a debugger sees the
 * handler. The price: the process environment cannot be set, so a handler with a public
 * {@code (Map<String,String> environment)} constructor gets the function's environment through it (the no-arg
 * constructor, which reads {@code System.getenv()}, is the fallback); and the handler shares this JVM's
 * stdout and system properties.
 */
public final class LambdaFunctionHost implements AutoCloseable {

    private final LambdaFunction function;
    private final URLClassLoader loader;
    private final Object handler;
    private final Method method;
    private final PojoSerializer<Object> eventSerializer;
    private final PojoSerializer<Object> responseSerializer;
    private final Class<?> contextType;
    private final String region;

    private LambdaFunctionHost(
            LambdaFunction function,
            URLClassLoader loader,
            Object handler,
            Method method,
            PojoSerializer<Object> eventSerializer,
            PojoSerializer<Object> responseSerializer,
            Class<?> contextType,
            String region) {
        this.function = function;
        this.loader = loader;
        this.handler = handler;
        this.method = method;
        this.eventSerializer = eventSerializer;
        this.responseSerializer = responseSerializer;
        this.contextType = contextType;
        this.region = region;
    }

    /** The function's response, or its error (an exception from the handler: Lambda's "Unhandled" function error). */
    public record Invocation(String responseJson, String errorType, String errorMessage) {
        public boolean failed() {
            return errorType != null;
        }
    }

    /** Loads the package and constructs the handler once (the cold start). */
    public static LambdaFunctionHost load(LambdaFunction function, String region) {
        if (!function.packageBuilt()) {
            throw new IllegalStateException(
                    function.logicalId() + ": no deployment package in " + function.packageFolder()
                            + " (classes at the root and lib/*.jar); build the function's module first");
        }
        String[] parts = function.handler().split("::");
        String className = parts[0];
        String methodName = parts.length > 1 ? parts[1] : "handleRequest";
        URLClassLoader loader = new URLClassLoader(
                "lambda-" + function.logicalId(),
                packageUrls(function.packageFolder()),
                ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> handlerClass = Class.forName(className, true, loader);
            Method method = handlerMethod(handlerClass, methodName, function.handler());
            Object handler =
                    Modifier.isStatic(method.getModifiers()) ? null : instantiate(handlerClass, function.environment());
            Class<?> eventType = method.getParameterTypes()[0];
            Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader);
            return new LambdaFunctionHost(
                    function,
                    loader,
                    handler,
                    method,
                    serializer(eventType, loader),
                    method.getReturnType() == void.class ? null : serializer(method.getReturnType(), loader),
                    contextType,
                    region);
        } catch (ClassNotFoundException e) {
            close(loader);
            throw new IllegalStateException(
                    function.logicalId() + ": handler class " + className + " is not in " + function.packageFolder()
                            + " (Handler " + function.handler() + ")",
                    e);
        } catch (RuntimeException | Error e) {
            close(loader);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public LambdaFunction function() {
        return function;
    }

    /** One invocation with an event as Lambda would send it (JSON). */
    public Invocation invoke(String eventJson, long timeoutMillis) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Object event = eventSerializer.fromJson(eventJson);
            Object context = context(UUID.randomUUID().toString(), System.currentTimeMillis() + timeoutMillis);
            Object response = method.getParameterCount() == 1
                    ? method.invoke(handler, event)
                    : method.invoke(handler, event, context);
            if (responseSerializer == null || response == null) {
                return new Invocation("null", null, null);
            }
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            responseSerializer.toJson(response, json);
            return new Invocation(json.toString(StandardCharsets.UTF_8), null, null);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return new Invocation(null, cause.getClass().getName(), String.valueOf(cause.getMessage()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        if (handler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Lambda never closes handlers; this is only courtesy at shutdown.
            }
        }
        close(loader);
    }

    private static URL[] packageUrls(Path folder) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(folder.toUri().toURL());
            try (Stream<Path> jars = Files.list(folder.resolve("lib"))) {
                for (Path jar : jars.filter(path -> path.toString().endsWith(".jar"))
                        .sorted()
                        .toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the deployment package " + folder, e);
        }
        return urls.toArray(URL[]::new);
    }

    /** The public method of that name; like the runtime, a bridge method of a generic RequestHandler is never chosen. */
    private static Method handlerMethod(Class<?> type, String name, String handlerString) {
        return Arrays.stream(type.getMethods())
                .filter(candidate ->
                        candidate.getName().equals(name) && !candidate.isBridge() && !candidate.isSynthetic())
                .filter(candidate -> candidate.getParameterCount() == 1 || candidate.getParameterCount() == 2)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Handler " + handlerString + ": no public method " + name
                        + "(event[, Context]) in " + type.getName()));
    }

    private static Object instantiate(Class<?> type, Map<String, String> environment) {
        try {
            try {
                return type.getConstructor(Map.class).newInstance(Map.copyOf(environment));
            } catch (NoSuchMethodException e) {
                return type.getConstructor().newInstance();
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    "the handler " + type.getName() + " failed to initialize: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot construct the handler " + type.getName()
                            + ": it needs a public no-arg or (Map<String,String>) constructor",
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Class<?> type, ClassLoader loader) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    /** A {@code Context} of the handler's own API version, answering like Lambda's for this function. */
    private Object context(String requestId, long deadlineMillis) {
        Object logger = Proxy.newProxyInstance(
                loader, new Class<?>[] {loadContextType("LambdaLogger")}, (proxy, called, args) -> {
                    if (called.getName().equals("log") && args != null && args.length > 0) {
                        Object message = args[0];
                        System.out.println(
                                message instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : message);
                    }
                    return null;
                });
        return Proxy.newProxyInstance(
                loader, new Class<?>[] {contextType}, (proxy, called, args) -> switch (called.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getLogGroupName" -> "/aws/lambda/" + function.functionName();
                    case "getLogStreamName" -> "local/" + function.logicalId();
                    case "getFunctionName" -> function.functionName();
                    case "getFunctionVersion" -> "$LATEST";
                    case "getInvokedFunctionArn" -> function.arn(region);
                    case "getRemainingTimeInMillis" -> (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
                    case "getMemoryLimitInMB" -> function.memoryMb();
                    case "getLogger" -> logger;
                    case "toString" -> "local Lambda context " + requestId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private Class<?> loadContextType(String simpleName) {
        try {
            return Class.forName("com.amazonaws.services.lambda.runtime." + simpleName, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("aws-lambda-java-core is not in the package of " + function.logicalId(), e);
        }
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // Jar handles of a package we no longer run.
        }
    }
}
