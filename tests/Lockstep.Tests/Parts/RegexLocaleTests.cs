using Lockstep.Parts;

namespace Lockstep.Tests.Parts;

/// <summary>README "RUN_PARTS_REGEX": the locale grep -E would run in, found as setlocale(LC_ALL, "") finds it.</summary>
public sealed class RegexLocaleTests
{
    private static RegexLocale From(params (string Key, string Value)[] variables) =>
        RegexLocale.FromEnvironment(name => variables.FirstOrDefault(v => v.Key == name).Value);

    [Theory]
    [InlineData("LC_ALL=C.UTF-8 LC_CTYPE=C LANG=C", "C.UTF-8")]
    [InlineData("LC_CTYPE=C.UTF-8 LANG=C", "C.UTF-8/C")] // LC_COLLATE from LANG
    [InlineData("LANG=C.UTF-8", "C.UTF-8")]
    [InlineData("LC_ALL= LANG=C.UTF-8", "C.UTF-8")] // empty is unset
    [InlineData("LC_ALL=C LANG=C.UTF-8", "C")]
    [InlineData("", "C")]
    [InlineData("LANG=xx_NOWHERE.UTF-8", "C")] // not installed: the C locale, as for grep
    [InlineData("LC_CTYPE=C.UTF-8 LC_COLLATE=xx_NOWHERE", "C")] // one category missing fails them all
    [InlineData("LC_CTYPE=de_DE.UTF-8 LC_COLLATE=C.UTF-8", "de_DE.UTF-8/C.UTF-8")]
    public void Lc_all_then_the_category_then_lang(string environment, string name)
    {
        var pairs = environment.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => (p.Split('=')[0], p.Split('=')[1])).ToArray();

        From(pairs).Name.ShouldBe(name);
    }

    [Theory]
    [InlineData("C", false, true)]
    [InlineData("POSIX", false, true)]
    [InlineData("C.UTF-8", true, true)]
    [InlineData("de_DE.UTF-8", true, false)]
    [InlineData("de_DE", false, false)]
    public void Characters_and_collation_follow_the_locale(string name, bool codePoints, bool codePointCollation)
    {
        var locale = RegexLocale.Named(name);

        locale.CodePoints.ShouldBe(codePoints);
        locale.CodePointCollation.ShouldBe(codePointCollation);
        locale.UnsupportedCharset.ShouldBeNull();
    }
}
