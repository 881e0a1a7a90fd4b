using System.Text.Json;
using Lockstep.Files;
using Lockstep.Json;
using Lockstep.Tests.Support;

namespace Lockstep.Tests.Files;

public sealed class FileFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Failures_to_read_a_file_are_told_in_words_without_the_path_again()
    {
        string Reason(string path)
        {
            var failure = Should.Throw<Exception>(() => File.ReadAllText(path));
            return FileFailure.Reason(failure, path);
        }

        Reason(_dir["absent"]).ShouldBe("it does not exist");
        Reason(_dir["no/such/file"]).ShouldBe("its directory does not exist");
        Reason(_dir.Path).ShouldBe("it is a directory");
    }

    [Fact]
    public void A_system_error_loses_the_path_net_appends_and_its_final_period()
    {
        var failure = Should.Throw<IOException>(() => File.WriteAllBytes("/dev/full", [0]));

        failure.Message.ShouldContain("/dev/full");
        FileFailure.Reason(failure, "/dev/full").ShouldBe("No space left on device");
    }

    [Theory]
    [InlineData("{\"a\":", "line 1, byte 6")]
    [InlineData("[1]", "a value of the wrong type; line 1, byte 2")]
    [InlineData("{\"holder\":5}", "a value of the wrong type at $.holder; line 1, byte 12")]
    [InlineData("xyz", "'x' is an invalid start of a value; line 1, byte 1")]
    public void Json_failures_name_what_and_where_without_dotnet_type_names(string json, string expected)
    {
        var failure = Should.Throw<JsonException>(() => JsonSerializer.Deserialize(json, FileFailureJsonContext.Default.Entry));

        string reason = JsonFailure.Reason(failure);

        reason.ShouldEndWith(expected);
        reason.ShouldNotContain("Lockstep.");
        reason.ShouldNotContain("Path: ");
    }
}

public sealed class Entry
{
    public string? Holder { get; set; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Entry))]
internal sealed partial class FileFailureJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
