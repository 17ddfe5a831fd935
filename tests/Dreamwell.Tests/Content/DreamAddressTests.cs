using Dreamwell.Content;

namespace Dreamwell.Tests.Content;

public class DreamAddressTests
{
    [Theory]
    [InlineData("qttps:φ//0123456789abcdef/docs/readme.md")]
    [InlineData("qttps://0123456789ABCDEF/docs/readme.md")]
    public void Both_spellings_parse_to_the_same_address(string text)
    {
        var address = DreamAddress.Parse(text);
        Assert.Equal(("0123456789abcdef", "docs/readme.md"), (address.QuantumId, address.Name));
        Assert.Equal("qttps:φ//0123456789abcdef/docs/readme.md", address.ToString());
        Assert.Equal(address, DreamAddress.Parse(address.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://0123456789abcdef/x")]
    [InlineData("qttps:/0123456789abcdef/x")]
    [InlineData("qttps://0123456789abcdef")]
    [InlineData("qttps://0123456789abcdef/")]
    [InlineData("qttps://0123456789abcde/x")]
    [InlineData("qttps://0123456789abcdeg/x")]
    [InlineData("qttps://0123456789abcdef/../x")]
    [InlineData("qttps://0123456789abcdef//etc/passwd")]
    [InlineData("qttps://0123456789abcdef/a\\b")]
    [InlineData("QTTPS://0123456789abcdef/x")]
    public void Bad_addresses_are_refused(string text)
    {
        var error = Assert.Throws<DreamException>(() => DreamAddress.Parse(text));
        Assert.Equal("BadAddress", error.ErrorId);
        Assert.False(DreamAddress.TryParse(text, out _));
    }

    [Fact]
    public void An_overlong_address_is_refused_without_echoing_it_whole()
    {
        var text = "qttps://0123456789abcdef/" + new string('a', DreamAddress.MaxLength);
        var error = Assert.Throws<DreamException>(() => DreamAddress.Parse(text));
        Assert.Equal("BadAddress", error.ErrorId);
        Assert.True(error.Message.Length < 300);
    }
}
