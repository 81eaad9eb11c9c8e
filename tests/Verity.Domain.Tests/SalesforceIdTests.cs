using Verity.Domain.Common;

namespace Verity.Domain.Tests;

public sealed class SalesforceIdTests
{
    [Theory]
    // Pairs published with Salesforce's description of the case-safe id.
    [InlineData("001A0000006Vm9r", "001A0000006Vm9rIAC")]
    [InlineData("0019000000B98de", "0019000000B98deAAB")]
    // Every capital in a block: the highest suffix letter; none: 'A'.
    [InlineData("ABCDEabcde00000", "ABCDEabcde000005AA")]
    [InlineData("00000ABCDEabcde", "00000ABCDEabcdeA5A")]
    public void A_15_character_id_gets_the_suffix_that_spells_its_capitals(string shortForm, string longForm)
    {
        Assert.Equal(longForm, SalesforceId.Normalise(shortForm));
        Assert.Equal(longForm, SalesforceId.Normalise("  " + shortForm + " "));
    }

    [Fact]
    public void Ids_that_differ_only_in_case_stay_apart_where_case_is_lost()
    {
        var lower = SalesforceId.Normalise("001A0000006Vm9r");
        var upper = SalesforceId.Normalise("001A0000006VM9r");
        Assert.Equal("001A0000006VM9rIAG", upper);
        Assert.NotEqual(lower.ToUpperInvariant(), upper.ToUpperInvariant());
    }

    [Theory]
    [InlineData("001A0000006Vm9rIAC")]
    [InlineData("123456789012345")]
    [InlineData("ACME-42")]
    [InlineData("001A0000006Vm9")]
    [InlineData("001A0000006Vm9r-")]
    public void Other_ids_are_kept_as_they_are(string id) => Assert.Equal(id, SalesforceId.Normalise(id));
}
