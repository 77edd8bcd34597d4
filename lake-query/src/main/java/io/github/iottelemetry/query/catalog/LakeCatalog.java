package io.github.iottelemetry.query.catalog;

import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedResource;
import io.github.iottelemetry.template.ResolvedTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The template's query layer: Glue database and tables, Athena workgroup and named queries, read
 * from template.yaml through template-model, so local queries and Athena use the same definitions.
 */
public record LakeCatalog(String database, String workGroup, List<LakeTable> tables, List<NamedQuery> namedQueries) {

    public static LakeCatalog fromTemplate(Path templateFile, String stackName, String region) {
        ResolvedTemplate t = CfnTemplate.load(templateFile)
                .resolve(Map.of(), PseudoParameters.of(stackName, region, PseudoParameters.LOCAL_ACCOUNT_ID));
        String database = t.resourcesOfType("AWS::Glue::Database").stream()
                .findFirst()
                .flatMap(r -> r.stringProperty("DatabaseInput", "Name"))
                .orElseThrow(() -> new IllegalArgumentException(
                        templateFile + ": no AWS::Glue::Database with DatabaseInput.Name"));
        String workGroup = t.resourcesOfType("AWS::Athena::WorkGroup").stream()
                .findFirst()
                .flatMap(r -> r.stringProperty("Name"))
                .orElse("primary");
        List<LakeTable> tables = new ArrayList<>();
        for (ResolvedResource r : t.resourcesOfType("AWS::Glue::Table")) {
            tables.add(table(templateFile, r));
        }
        List<NamedQuery> queries = new ArrayList<>();
        for (ResolvedResource r : t.resourcesOfType("AWS::Athena::NamedQuery")) {
            queries.add(new NamedQuery(
                    required(templateFile, r, "Name"),
                    r.stringProperty("Description").orElse(""),
                    required(templateFile, r, "QueryString")));
        }
        return new LakeCatalog(database, workGroup, List.copyOf(tables), List.copyOf(queries));
    }

    public Optional<NamedQuery> namedQuery(String name) {
        return namedQueries.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    private static LakeTable table(Path file, ResolvedResource r) {
        String name = required(file, r, "TableInput", "Name");
        String location = required(file, r, "TableInput", "StorageDescriptor", "Location");
        if (!location.startsWith("s3://")) {
            throw new IllegalArgumentException(file + " resource " + r.logicalId() + ": table " + name + " location "
                    + location + " is not an s3:// URI");
        }
        String afterBucket = location.substring("s3://".length());
        int slash = afterBucket.indexOf('/');
        String prefix = slash < 0 ? "" : afterBucket.substring(slash + 1);
        String serde = r.stringProperty("TableInput", "StorageDescriptor", "SerdeInfo", "SerializationLibrary")
                .orElse("");
        LakeTable.Format format =
                serde.toLowerCase().contains("parquet") ? LakeTable.Format.PARQUET : LakeTable.Format.JSON_GZIP;
        return new LakeTable(
                name,
                prefix,
                format,
                columns(r.property("TableInput", "StorageDescriptor", "Columns")),
                columns(r.property("TableInput", "PartitionKeys")));
    }

    private static List<LakeTable.Column> columns(Optional<Object> list) {
        List<LakeTable.Column> out = new ArrayList<>();
        if (list.isPresent() && list.get() instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m) {
                    out.add(new LakeTable.Column(String.valueOf(m.get("Name")), String.valueOf(m.get("Type"))));
                }
            }
        }
        return List.copyOf(out);
    }

    private static String required(Path file, ResolvedResource r, String... path) {
        return r.stringProperty(path)
                .orElseThrow(() -> new IllegalArgumentException(
                        file + " resource " + r.logicalId() + ": " + String.join(".", path) + " is missing"));
    }
}
