using System.Data.Common;
using System.Globalization;
using Lockstep.Config;
using Npgsql;

namespace Lockstep.Locks.Postgres;

/// <summary>The <c>[postgres]</c> section, validated once. The connection string is never shown: it may hold a password.</summary>
/// <param name="SslMode">TLS as the connection string asks, <see cref="SslMode.VerifyFull"/> when it does not say.</param>
public sealed record PostgresOptions(string ConnectionString, string Server, int Slots, SslMode SslMode)
{
    public const string Section = "postgres";

    /// <summary>Slots of a group when Lockstep creates it: one host at a time. An existing group keeps its own.</summary>
    public const int DefaultSlots = 1;

    /// <summary><c>slots</c> as written, when it is: an existing group with another count earns a warning.</summary>
    public IniValue? SlotsSetting { get; init; }

    /// <summary>Npgsql refuses a connect <c>Timeout</c> above this many seconds; <c>Command Timeout</c> has no such bound.</summary>
    public const int MaxConnectTimeout = 1024;

    /// <summary>
    /// Reads the section; <paramref name="timeout"/> bounds connecting (at most <see cref="MaxConnectTimeout"/>)
    /// and each command unless the connection string sets its own <c>Timeout</c> or <c>Command Timeout</c>
    /// (other than Npgsql's defaults).
    /// </summary>
    public static PostgresOptions From(IniFile config, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        var connection = config.Get(Section, "connection")
            ?? throw new ConfigException(
                $"{config.Path}: [{Section}] connection is missing; give an Npgsql connection string (connection = Host=db.example.com;Database=lockstep;Username=lockstep;Password=...)");
        if (UnknownKeywords(connection) is { } unknown)
        {
            throw new ConfigException(unknown);
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connection.Text);
        }
        catch (ArgumentException e)
        {
            // The value itself is not repeated: it may hold a password.
            throw new ConfigException($"{connection.Where} is not a valid Npgsql connection string ({Reason(e)}); fix it");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ConfigException($"{connection.Where} names no Host; add Host=... to the connection string");
        }

        int seconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, 3600);
        var defaults = new NpgsqlConnectionStringBuilder();
        if (builder.Timeout == defaults.Timeout)
        {
            builder.Timeout = Math.Min(seconds, MaxConnectTimeout);
        }

        if (builder.CommandTimeout == defaults.CommandTimeout)
        {
            builder.CommandTimeout = seconds;
        }

        // Npgsql's default (Prefer) takes plaintext, or any certificate, from whoever answers:
        // TLS is verified unless the connection string turns it off in writing.
        if (!SetsSslMode(connection.Text))
        {
            builder.SslMode = SslMode.VerifyFull;
        }

        builder.ApplicationName ??= "lockstep";
        var slotsSetting = config.Get(Section, "slots");
        int slots = slotsSetting?.AsInt(min: 1) ?? DefaultSlots;
        string server = string.Create(
            CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}");
        return new PostgresOptions(builder.ConnectionString, server, slots, builder.SslMode) { SlotsSetting = slotsSetting };
    }

    /// <summary>
    /// A keyword Npgsql does not know is refused without naming it: in <c>Password=a;b=c</c> the
    /// "keyword" <c>b</c> is part of the password, and Npgsql's own "Couldn't set b" would show it.
    /// Only the parser's verdict on the whole string is shown, never a piece of it.
    /// </summary>
    private static string? UnknownKeywords(IniValue connection)
    {
        const string Quote = "a value holding ';' or '=' (such as a password) must be quoted: Password='a;b'";
        DbConnectionStringBuilder plain;
        try
        {
            plain = new DbConnectionStringBuilder { ConnectionString = connection.Text };
        }
        catch (ArgumentException)
        {
            return $"{connection.Where} is not a valid Npgsql connection string (it does not split into keyword=value pairs; {Quote}); fix it";
        }

        var known = new NpgsqlConnectionStringBuilder();
        int count = plain.Keys.Cast<string>().Count(key => !known.ContainsKey(key));
        return count == 0 ? null
            : $"{connection.Where} is not a valid Npgsql connection string: {count} keyword(s) Npgsql does not know (not shown, since one may be part of a password; {Quote}); fix it";
    }

    /// <summary>"Couldn't set timeout: value ('2000') must be less than or equal to '1024'", without .NET's parameter names.</summary>
    private static string Reason(ArgumentException failure)
    {
        static string Sentence(Exception e)
        {
            string message = e.Message.Split('\n')[0];
            if (e is ArgumentException { ParamName: { } name })
            {
                message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
            }

            return message.Trim().TrimEnd('.');
        }

        return failure.InnerException is { } inner ? $"{Sentence(failure)}: {Sentence(inner)}" : Sentence(failure);
    }

    // Npgsql's builder knows every keyword, set or not: the keys actually written are the plain parser's.
    private static bool SetsSslMode(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("sslmode", StringComparison.OrdinalIgnoreCase));

    /// <summary>Shows the options without the connection string.</summary>
    public override string ToString() => $"PostgreSQL at {Server}, {Slots} slot(s)";
}
