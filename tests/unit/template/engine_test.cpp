// Go's text/template semantics, output and error messages. Every expected
// string here is what Go 1.19's text/template produces for the same template
// and data (see template_test_util.h for the data and functions).
#include <gtest/gtest.h>

#include "template_test_util.h"

namespace tocsin::tmpl::testing {
namespace {

TEST(Template, Text_PassesThroughUnchanged) {
  Fixture f;
  EXPECT_EQ(f.run("plain text, no actions"), "plain text, no actions");
}

TEST(Template, Fields_ReadStructFieldsAndMapKeys) {
  Fixture f;
  EXPECT_EQ(f.run("{{.Name}} {{.N}} {{.Labels.job}} {{.Any.s}} {{.Value}}"),
            "tocsin 42 api str 1234.5");
}

TEST(Template, Fields_MissingMapKeyPrintsNoValueByDefault) {
  Fixture f;
  EXPECT_EQ(f.run("{{.Labels.nope}}|{{.Any.nope}}"), "<no value>|<no value>");
}

TEST(Template, Fields_MissingKeyZeroGivesElementZero) {
  Fixture f;
  EXPECT_EQ(f.run_zero("{{.Labels.nope}}|{{.Any.nope}}|{{index .Labels \"nope\"}}"),
            "|<no value>|");
}

TEST(Template, Fields_UnknownStructFieldIsAnError) {
  Fixture f;
  EXPECT_EQ(f.run("{{.Nope}}"),
            "ERROR: template: t:1:2: executing \"t\" at <.Nope>: can't evaluate field Nope in type "
            "main.Data");
}

TEST(Template, Fields_FieldOfNonStructIsAnError) {
  Fixture f;
  EXPECT_EQ(f.run("{{.Name.Foo}}"),
            "ERROR: template: t:1:7: executing \"t\" at <.Name.Foo>: can't evaluate field Foo in "
            "type string");
}

TEST(Template, Fields_ChainThroughMissingValuesStaysEmpty) {
  Fixture f;
  EXPECT_EQ(f.run("{{$.Any.nope.deeper}}"), "<no value>");
}

TEST(Template, Variables_DeclareAndAssign) {
  Fixture f;
  EXPECT_EQ(f.run("{{$x := 1}}{{$x}}{{$x = \"two\"}}{{$x}}"), "1two");
}

TEST(Template, Variables_AssignmentInsideIfReachesOuterVariable) {
  Fixture f;
  EXPECT_EQ(f.run("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"), "2");
}

TEST(Template, Variables_DollarIsTheRootData) {
  Fixture f;
  EXPECT_EQ(f.run("{{with .Strs}}{{$.Name}}{{end}}"), "tocsin");
}

TEST(Template, Variables_FieldsOfVariables) {
  Fixture f;
  EXPECT_EQ(f.run("{{$l := .Labels}}{{$l.job}} {{$l.instance}}"), "api host:9090");
}

TEST(Template, If_ElseIfChains) {
  Fixture f;
  EXPECT_EQ(f.run("{{if .Empty}}a{{else if .Ints}}b{{else}}c{{end}}"), "b");
  EXPECT_EQ(f.run("{{if 0}}a{{else if 0}}b{{else}}c{{end}}"), "c");
}

TEST(Template, If_TruthFollowsGo) {
  Fixture f;
  EXPECT_EQ(
      f.run("{{if \"\"}}1{{end}}{{if \"x\"}}2{{end}}{{if 0}}3{{end}}{{if 0.0}}4{{end}}{{if "
            ".Empty}}5{{end}}{{if .Strs}}6{{end}}{{if .Nope.x}}7{{end}}{{if .Labels}}8{{end}}"),
      "ERROR: template: t:1:120: executing \"t\" at <.Nope.x>: can't evaluate field Nope in type "
      "main.Data");
}

TEST(Template, With_SetsDotAndFallsBackToElse) {
  Fixture f;
  EXPECT_EQ(f.run("{{with .Labels.job}}job={{.}}{{else}}none{{end}} {{with "
                  ".Labels.empty}}x{{else}}none{{end}}"),
            "job=api none");
}

TEST(Template, Range_ListWithIndexAndElement) {
  Fixture f;
  EXPECT_EQ(f.run("{{range $i, $v := .Strs}}{{$i}}={{$v}};{{end}}"), "0=a;1=b;2=c;");
}

TEST(Template, Range_MapInSortedKeyOrder) {
  Fixture f;
  EXPECT_EQ(f.run("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}"),
            "a-b=x y;empty=;instance=host:9090;job=api;");
}

TEST(Template, Range_ElseRunsOnEmptyList) {
  Fixture f;
  EXPECT_EQ(f.run("{{range .Empty}}x{{else}}empty{{end}}"), "empty");
}

TEST(Template, Range_ElseRunsOnMissingValue) {
  Fixture f;
  EXPECT_EQ(f.run("{{range .Nope.x}}x{{else}}none{{end}}"),
            "ERROR: template: t:1:13: executing \"t\" at <.Nope.x>: can't evaluate field Nope in "
            "type main.Data");
}

TEST(Template, Range_BreakAndContinue) {
  Fixture f;
  EXPECT_EQ(f.run("{{range .Ints}}{{if eq . 1}}{{break}}{{end}}{{.}}{{end}}"), "3");
  EXPECT_EQ(f.run("{{range .Ints}}{{if eq . 1}}{{continue}}{{end}}{{.}}{{end}}"), "32");
}

TEST(Template, Range_BreakLeavesOnlyTheInnerLoop) {
  Fixture f;
  EXPECT_EQ(f.run("{{range .Ints}}{{range $.Strs}}{{.}}{{break}}{{end}}{{.}}{{end}}"), "a3a1a2");
}

TEST(Template, Range_OverAStringIsAnError) {
  Fixture f;
  EXPECT_EQ(f.run("{{range .Name}}x{{end}}"),
            "ERROR: template: t:1:8: executing \"t\" at <.Name>: range can't iterate over tocsin");
}

TEST(Template, Templates_DefineAndInvokeWithData) {
  Fixture f;
  EXPECT_EQ(f.run("{{define \"a\"}}[{{.}}]{{end}}{{template \"a\" .Name}}{{template \"a\"}}"),
            "[tocsin][<no value>]");
}

TEST(Template, Templates_BlockDefinesAndRuns) {
  Fixture f;
  EXPECT_EQ(f.run("{{block \"b\" .N}}<{{.}}>{{end}}"), "<42>");
}

TEST(Template, Templates_Recursion) {
  Fixture f;
  EXPECT_EQ(f.run("{{define \"r\"}}{{if .}}{{.}},{{template \"r\" slice . "
                  "1}}{{end}}{{end}}{{template \"r\" \"abc\"}}"),
            "abc,bc,c,");
}

TEST(Template, Templates_UndefinedTemplateIsAnError) {
  Fixture f;
  EXPECT_EQ(f.run("{{template \"nope\"}}"),
            "ERROR: template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template "
            "\"nope\" not defined");
}

TEST(Template, Templates_ErrorsNameTheRunningTemplate) {
  Fixture f;
  EXPECT_EQ(
      f.run("x\n{{define \"d\"}}\n{{ .Nope.X }}{{ fail \"boom\" }}\n{{end}}{{template \"d\" .}}"),
      "ERROR: template: t:3:8: executing \"d\" at <.Nope.X>: can't evaluate field Nope in type "
      "main.Data");
}

TEST(Template, Trim_MarkersRemoveSurroundingSpace) {
  Fixture f;
  EXPECT_EQ(f.run("a  {{- 1 -}}  b"), "a1b");
  EXPECT_EQ(f.run("{{- \" trim\" -}}"), " trim");
  EXPECT_EQ(f.run("x \n\t {{- /* comment */ -}} \n y"), "xy");
}

TEST(Template, Trim_MinusWithoutSpaceIsANumber) {
  Fixture f;
  EXPECT_EQ(f.run("{{-3}} {{ 3 -}} x"), "-3 3x");
}

TEST(Template, Comments_ProduceNothing) {
  Fixture f;
  EXPECT_EQ(f.run("a{{/* note */}}b{{- /* trimmed */ -}} c"), "abc");
}

TEST(Template, Numbers_GoLiteralSyntax) {
  Fixture f;
  EXPECT_EQ(f.run("{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ 1e3 }} {{ .5 }} {{ "
                  "0x1p4 }} {{ -0 }} {{ +5 }} {{ 1.0 }}"),
            "31 15 15 5 1000 1000 0.5 16 0 5 1");
}

TEST(Template, Numbers_CharacterConstantsAreInts) {
  Fixture f;
  EXPECT_EQ(f.run("{{ 'a' }} {{ '\n' }} {{ '\\u00e9' }} {{ '\\x41' }}"),
            "ERROR: template: t:1: unterminated character constant");
}

TEST(Template, Numbers_FloatsPrintLikeGo) {
  Fixture f;
  EXPECT_EQ(f.run("{{ 1e100 }} {{ 100000000.0 }} {{ 0.000001 }} {{ -1.5e-10 }} {{ 123456.0 }} {{ "
                  "1234567.0 }}"),
            "1e+100 1e+08 1e-06 -1.5e-10 123456 1.234567e+06");
}

TEST(Template, Numbers_OverflowingIntIsAnError) {
  Fixture f;
  EXPECT_EQ(f.run("{{ 18446744073709551615 }}"),
            "ERROR: template: t:1:3: executing \"t\" at <18446744073709551615>: "
            "18446744073709551615 overflows int");
}

TEST(Template, Strings_GoEscapesAndRawStrings) {
  Fixture f;
  EXPECT_EQ(f.run("{{ \"a\tb\\u00e9\\x41\\\"\" }}"), "a\tbéA\"");
  EXPECT_EQ(f.run("{{ `raw\n\"` }}"), "raw\n\"");
}

TEST(Template, Pipelines_PipedValueIsTheLastArgument) {
  Fixture f;
  EXPECT_EQ(f.run("{{ .Name | printf \"%s-%s\" \"pre\" }}"), "pre-tocsin");
  EXPECT_EQ(f.run("{{ \"a\" | print \"b\" | print \"c\" }}"), "cba");
}

TEST(Template, Pipelines_ParenthesizedPipelineWithFields) {
  Fixture f;
  EXPECT_EQ(f.run("{{ (.Labels).job }} {{ (print 1 2) }}"), "api 1 2");
}

TEST(Template, Pipelines_ArgumentToNonFunctionIsAnError) {
  Fixture f;
  EXPECT_EQ(
      f.run("{{ 1 2 }}"),
      "ERROR: template: t:1:3: executing \"t\" at <1>: can't give argument to non-function 1");
}

TEST(Template, Pipelines_NilIsNotACommand) {
  Fixture f;
  EXPECT_EQ(f.run("{{ nil }}"),
            "ERROR: template: t:1:3: executing \"t\" at <nil>: nil is not a command");
}

TEST(Template, Calls_WrongArgumentCountsReadAsGo) {
  Fixture f;
  EXPECT_EQ(f.run("{{add 1}}"),
            "ERROR: template: t:1:2: executing \"t\" at <add>: wrong number of args for add: want "
            "2 got 1");
  EXPECT_EQ(f.run("{{add 1 2 3}}"),
            "ERROR: template: t:1:2: executing \"t\" at <add>: wrong number of args for add: want "
            "2 got 3");
  EXPECT_EQ(f.run("{{join}}"),
            "ERROR: template: t:1:2: executing \"t\" at <join>: wrong number of args for join: "
            "want at least 1 got 0");
}

TEST(Template, Calls_ArgumentTypesAreCheckedAsGo) {
  Fixture f;
  EXPECT_EQ(f.run("{{toUpper 1}}"),
            "ERROR: template: t:1:10: executing \"t\" at <1>: expected string; found 1");
  EXPECT_EQ(f.run("{{1 | toUpper}}"),
            "ERROR: template: t:1:6: executing \"t\" at <toUpper>: wrong type for value; expected "
            "string; got int");
  EXPECT_EQ(f.run("{{.N | toUpper}}"),
            "ERROR: template: t:1:7: executing \"t\" at <toUpper>: wrong type for value; expected "
            "string; got int");
  EXPECT_EQ(f.run("{{add 1.5 2}}"),
            "ERROR: template: t:1:6: executing \"t\" at <1.5>: expected integer; found 1.5");
  EXPECT_EQ(f.run("{{half .N}}"),
            "ERROR: template: t:1:7: executing \"t\" at <.N>: wrong type for value; expected "
            "float64; got int");
}

TEST(Template, Calls_ConstantsConvertToParameterTypes) {
  Fixture f;
  EXPECT_EQ(f.run("{{add 1.0 2}} {{half 3}} {{join \",\" \"a\" \"b\"}}"), "3 1.5 a,b");
}

TEST(Template, Calls_FunctionErrorsAreWrapped) {
  Fixture f;
  EXPECT_EQ(
      f.run("{{fail \"x\"}}"),
      "ERROR: template: t:1:2: executing \"t\" at <fail \"x\">: error calling fail: failed: x");
  EXPECT_EQ(
      f.run("{{ .Name | fail }}"),
      "ERROR: template: t:1:11: executing \"t\" at <fail>: error calling fail: failed: tocsin");
}

TEST(Template, Calls_MethodLikeFieldWithArgumentsIsAnError) {
  Fixture f;
  EXPECT_EQ(f.run("{{ .Labels.job 1 }}"),
            "ERROR: template: t:1:10: executing \"t\" at <.Labels.job>: job is not a method but "
            "has arguments");
  EXPECT_EQ(f.run("{{ .Name 1 }}"),
            "ERROR: template: t:1:3: executing \"t\" at <.Name>: Name has arguments but cannot be "
            "invoked as function");
}

TEST(Template, And_Or_ShortCircuitAndReturnTheDecidingValue) {
  Fixture f;
  EXPECT_EQ(f.run("{{and 1 0 2}} {{or 0 \"\" \"x\"}} {{or 0 \"\"}} {{and 0 (fail \"x\")}} {{or 1 "
                  "(fail \"x\")}}"),
            "0 x  0 1");
}

TEST(Template, And_Or_EvaluateUpToTheFailingArgument) {
  Fixture f;
  EXPECT_EQ(
      f.run("{{and 1 (fail \"x\")}}"),
      "ERROR: template: t:1:9: executing \"t\" at <fail \"x\">: error calling fail: failed: x");
}

TEST(Template, Not_NegatesTruth) {
  Fixture f;
  EXPECT_EQ(f.run("{{not .Empty}} {{not 1}} {{not .Nope}}"),
            "ERROR: template: t:1:31: executing \"t\" at <.Nope>: can't evaluate field Nope in "
            "type main.Data");
}

TEST(Template, Len_CountsStringsListsAndMaps) {
  Fixture f;
  EXPECT_EQ(f.run("{{len .Strs}} {{len .Labels}} {{len .Name}} {{\"abc\" | len}}"), "3 4 6 3");
}

TEST(Template, Len_OfNumbersAndMissingValuesIsAnError) {
  Fixture f;
  EXPECT_EQ(
      f.run("{{len .N}}"),
      "ERROR: template: t:1:2: executing \"t\" at <len .N>: error calling len: len of type int");
  EXPECT_EQ(f.run("{{len .Nope}}"),
            "ERROR: template: t:1:6: executing \"t\" at <.Nope>: can't evaluate field Nope in type "
            "main.Data");
}

TEST(Template, Index_ListsMapsAndStrings) {
  Fixture f;
  EXPECT_EQ(f.run("{{index .Strs 1}} {{index .Labels \"job\"}} {{index .Labels \"nope\"}}| {{index "
                  ".Any \"l\" 0}} {{index .Name 0}}"),
            "b api | x 116");
}

TEST(Template, Index_ErrorsReadAsGo) {
  Fixture f;
  EXPECT_EQ(f.run("{{index .Strs 5}}"),
            "ERROR: template: t:1:2: executing \"t\" at <index .Strs 5>: error calling index: "
            "index out of range: 5");
  EXPECT_EQ(f.run("{{index .Strs 3}}"),
            "ERROR: template: t:1:2: executing \"t\" at <index .Strs 3>: error calling index: "
            "reflect: slice index out of range");
  EXPECT_EQ(f.run("{{index .Strs \"x\"}}"),
            "ERROR: template: t:1:2: executing \"t\" at <index .Strs \"x\">: error calling index: "
            "cannot index slice/array with type string");
  EXPECT_EQ(f.run("{{index .Labels 1}}"),
            "ERROR: template: t:1:2: executing \"t\" at <index .Labels 1>: error calling index: "
            "value has type int; should be string");
  EXPECT_EQ(f.run("{{index .N 1}}"),
            "ERROR: template: t:1:2: executing \"t\" at <index .N 1>: error calling index: can't "
            "index item of type int");
  EXPECT_EQ(f.run("{{index nil 1}}"),
            "ERROR: template: t:1:2: executing \"t\" at <index nil 1>: error calling index: index "
            "of untyped nil");
  EXPECT_EQ(f.run("{{index .Strs -1}}"),
            "ERROR: template: t:1:2: executing \"t\" at <index .Strs -1>: error calling index: "
            "index out of range: -1");
}

TEST(Template, Slice_StringsAndLists) {
  Fixture f;
  EXPECT_EQ(f.run("{{slice .Name 1 3}} {{slice .Strs 1}} {{slice .Strs 1 2}} {{slice .Name}}"),
            "oc [b c] [b] tocsin");
}

TEST(Template, Slice_ErrorsReadAsGo) {
  Fixture f;
  EXPECT_EQ(f.run("{{slice .Strs 2 1}}"),
            "ERROR: template: t:1:2: executing \"t\" at <slice .Strs 2 1>: error calling slice: "
            "invalid slice index: 2 > 1");
  EXPECT_EQ(f.run("{{slice .Name 1 2 3}}"),
            "ERROR: template: t:1:2: executing \"t\" at <slice .Name 1 2 3>: error calling slice: "
            "cannot 3-index slice a string");
  EXPECT_EQ(f.run("{{slice .N}}"),
            "ERROR: template: t:1:2: executing \"t\" at <slice .N>: error calling slice: can't "
            "slice item of type int");
  EXPECT_EQ(f.run("{{slice .Strs 0 9}}"),
            "ERROR: template: t:1:2: executing \"t\" at <slice .Strs 0 9>: error calling slice: "
            "index out of range: 9");
}

TEST(Template, Compare_EqualityOnBasicKinds) {
  Fixture f;
  EXPECT_EQ(f.run("{{eq 1 1}} {{eq 1 2 3 1}} {{eq \"a\" \"a\"}} {{eq .Value 1234.5}} {{ne 1 2}} "
                  "{{eq .Any.i 7}} {{eq .Nope .Nope}} {{eq .Nope 1}}"),
            "ERROR: template: t:1:94: executing \"t\" at <.Nope>: can't evaluate field Nope in "
            "type main.Data");
}

TEST(Template, Compare_Ordering) {
  Fixture f;
  EXPECT_EQ(f.run("{{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1 2}} {{le 1 1}} {{gt 1.5 1.4}}"),
            "true true true false true true");
}

TEST(Template, Compare_MixedKindsAreIncompatible) {
  Fixture f;
  EXPECT_EQ(f.run("{{eq 1 1.0}}"),
            "ERROR: template: t:1:2: executing \"t\" at <eq 1 1.0>: error calling eq: incompatible "
            "types for comparison");
  EXPECT_EQ(f.run("{{lt 1 2.0}}"),
            "ERROR: template: t:1:2: executing \"t\" at <lt 1 2.0>: error calling lt: incompatible "
            "types for comparison");
  EXPECT_EQ(f.run("{{eq \"a\" .Labels}}"),
            "ERROR: template: t:1:2: executing \"t\" at <eq \"a\" .Labels>: error calling eq: "
            "incompatible types for comparison");
}

TEST(Template, Compare_NonBasicKindsAreRejected) {
  Fixture f;
  EXPECT_EQ(f.run("{{lt .Strs 1}}"),
            "ERROR: template: t:1:2: executing \"t\" at <lt .Strs 1>: error calling lt: invalid "
            "type for comparison");
  EXPECT_EQ(f.run("{{eq .Strs .Strs}}"),
            "ERROR: template: t:1:2: executing \"t\" at <eq .Strs .Strs>: error calling eq: "
            "non-comparable type [a b c]: []string");
  EXPECT_EQ(f.run("{{lt true false}}"),
            "ERROR: template: t:1:2: executing \"t\" at <lt true false>: error calling lt: invalid "
            "type for comparison");
  EXPECT_EQ(f.run("{{eq}}"),
            "ERROR: template: t:1:2: executing \"t\" at <eq>: wrong number of args for eq: want at "
            "least 1 got 0");
}

TEST(Template, Print_SprintSpacing) {
  Fixture f;
  EXPECT_EQ(f.run("{{print 1 2 \"a\" \"b\" 3}}"), "1 2ab3");
  EXPECT_EQ(f.run("{{println 1 \"a\"}}"), "1 a\n");
  EXPECT_EQ(f.run("{{print .Nope}} {{print nil}}"),
            "ERROR: template: t:1:8: executing \"t\" at <.Nope>: can't evaluate field Nope in type "
            "main.Data");
  EXPECT_EQ(f.run("{{ print .Strs .Ints }}"), "[a b c] [3 1 2]");
}

TEST(Template, Print_ValuesAsGoPrintsThem) {
  Fixture f;
  EXPECT_EQ(f.run("{{.Ints}} {{.Strs}} {{.Empty}} {{.Any}} {{.Labels}} {{.}}"),
            "[3 1 2] [a b c] [] map[b:true f:2.5 i:7 l:[x y] s:str] map[a-b:x y empty: "
            "instance:host:9090 job:api] {map[a-b:x y empty: instance:host:9090 job:api] 1234.5 [3 "
            "1 2] [a b c] [] map[b:true f:2.5 i:7 l:[x y] s:str] tocsin 42 2024-05-01 12:00:00.25 "
            "+0000 UTC 1h30m1.5s}");
}

TEST(Template, Escapers_HtmlJsUrlquery) {
  Fixture f;
  EXPECT_EQ(f.run("{{html \"<a href='x'>&</a>\"}} {{js \"it's \\\"q\\\" <b> & = \\\\\"}} "
                  "{{urlquery \"a b&c=d/é\"}}"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt; it\\'s \\\"q\\\" \\u003Cb\\u003E \\u0026 "
            "\\u003D \\\\ a+b%26c%3Dd%2F%C3%A9");
  // HTMLEscapeString turns NUL into U+FFFD, where html.EscapeString keeps it.
  EXPECT_EQ(f.run("{{html \"a\\x00<\"}}"), "a\xef\xbf\xbd&lt;");
  EXPECT_EQ(f.run("{{html .Nope}} {{html 1 \"a\" 2}}"),
            "ERROR: template: t:1:7: executing \"t\" at <.Nope>: can't evaluate field Nope in type "
            "main.Data");
}

TEST(Template, Printf_CommonVerbs) {
  Fixture f;
  EXPECT_EQ(f.run("{{printf \"%d %s %v %q %x %X %5s|%-5s|%05d %%\" 42 \"s\" 1.5 \"q\" 255 \"hi\" "
                  "\"ab\" \"cd\" 7}}"),
            "42 s 1.5 \"q\" ff 6869    ab|cd   |00007 %");
}

TEST(Template, Printf_FloatVerbs) {
  Fixture f;
  EXPECT_EQ(
      f.run(
          "{{printf \"%.2f %e %g %.3g %G %E %f\" 3.14159 1234.5 0.00001 1234567.0 1e21 1e-7 1.0}}"),
      "3.14 1.234500e+03 1e-05 1.23e+06 1E+21 1.000000E-07 1.000000");
  EXPECT_EQ(f.run("{{printf \"%6.2f|%-8.3f|%+d|% d|%+.1e\" 3.14159 2.5 5 5 12345.678}}"),
            "  3.14|2.500   |+5| 5|+1.2e+04");
  EXPECT_EQ(f.run("{{printf \"%.0f %.0f %.0f %.0f\" 0.5 1.5 2.5 -0.5}}"), "0 2 2 -0");
  EXPECT_EQ(f.run("{{printf \"%08.3f|%x|%X\" -3.14159 3.5 -0.1}}"),
            "-003.142|0x1.cp+01|-0X1.999999999999AP-04");
}

TEST(Template, Printf_MismatchedArguments) {
  Fixture f;
  EXPECT_EQ(f.run("{{printf \"%d\" \"foo\"}} {{printf \"%s\"}} {{printf \"%s\" 1 2}} {{printf "
                  "\"%!\"}} {{printf \"%\"}} {{printf \"%z\" 1}} {{printf \"%d\" nil}}"),
            "%!d(string=foo) %!s(MISSING) %!s(int=1)%!(EXTRA int=2) %!!(MISSING) %!(NOVERB) "
            "%!z(int=1) %!d(<nil>)");
}

TEST(Template, Printf_OtherVerbsAndFlags) {
  Fixture f;
  EXPECT_EQ(f.run("{{printf \"%t %v %c %U %#U %q\" true false 65 9731 9731 65}}"),
            "true false A U+2603 U+2603 '☃' 'A'");
  EXPECT_EQ(f.run("{{printf \"%x %X % x %#x\" \"hello\" \"hello\" \"hi\" \"hi\"}}"),
            "68656c6c6f 68656C6C6F 68 69 0x6869");
  EXPECT_EQ(
      f.run(
          "{{printf \"%[2]d %[1]d\" 1 2}} {{printf \"%[3]d\" 1}} {{printf \"%*d|%-*d\" 5 1 5 2}}"),
      "2 1 %!d(BADINDEX)     1|2    ");
  EXPECT_EQ(f.run("{{printf \"%.*f|%*.*f\" 2 3.14159 8 3 2.71828}}"), "3.14|   2.718");
  EXPECT_EQ(f.run("{{printf \"%x\" -1}} {{printf \"%#o %O\" 8 8}} {{printf \"%b\" -5}}"),
            "-1 010 0o10 -101");
}

TEST(Template, Printf_TypesAndContainers) {
  Fixture f;
  EXPECT_EQ(f.run("{{printf \"%T %T %T %T %T\" 1 \"a\" 1.5 .Strs .Nope}}"),
            "ERROR: template: t:1:42: executing \"t\" at <.Nope>: can't evaluate field Nope in "
            "type main.Data");
  EXPECT_EQ(f.run("{{printf \"%v %v\" .Strs .Labels}}"),
            "[a b c] map[a-b:x y empty: instance:host:9090 job:api]");
  EXPECT_EQ(f.run("{{printf \"%d\" .Ints}} {{printf \"%q\" .Strs}}"),
            "[3 1 2] [\"a\" \"b\" \"c\"]");
}

TEST(Template, Printf_UnicodeWidthAndPrecision) {
  Fixture f;
  EXPECT_EQ(f.run("{{printf \"%s|%10.3s|\" \"日本語テキスト\" \"日本語テキスト\"}}"),
            "日本語テキスト|       日本語|");
  EXPECT_EQ(f.run("{{printf \"%q\" \"日本\\x00\n\"}} {{printf \"%+q\" \"日本\"}} {{printf \"%#q\" "
                  "\"back`q\"}} {{printf \"%#q\" \"ok\"}}"),
            "ERROR: template: t:1: unterminated quoted string");
}

TEST(Template, Parse_StructuralErrors) {
  Fixture f;
  EXPECT_EQ(f.run("{{if}}{{end}}"), "ERROR: template: t:1: missing value for if");
  EXPECT_EQ(f.run("{{range}}{{end}}"), "ERROR: template: t:1: missing value for range");
  EXPECT_EQ(f.run("{{end}}"), "ERROR: template: t:1: unexpected {{end}}");
  EXPECT_EQ(f.run("{{else}}"), "ERROR: template: t:1: unexpected {{else}}");
  EXPECT_EQ(f.run("{{if 1}}"), "ERROR: template: t:1: unexpected EOF");
  EXPECT_EQ(f.run("{{if 1}}{{else}}{{else}}{{end}}"),
            "ERROR: template: t:1: expected end; found {{else}}");
  EXPECT_EQ(f.run("{{with .Name}}a{{else if .N}}b{{end}}"),
            "ERROR: template: t:1: unexpected <if> in input");
  EXPECT_EQ(f.run("{{break}}"), "ERROR: template: t:1: {{break}} outside {{range}}");
  EXPECT_EQ(f.run("{{define \"x\"}}a{{end}}{{define \"x\"}}b{{end}}"),
            "ERROR: template: t:1: template: multiple definition of template \"x\"");
  EXPECT_EQ(f.run("{{range $i, $v, $w := .Ints}}{{end}}"),
            "ERROR: template: t:1: too many declarations in range");
  EXPECT_EQ(f.run("{{ $x, $y := 1 }}"), "ERROR: template: t:1: too many declarations in command");
  EXPECT_EQ(f.run("{{ .A | \"x\" }}"),
            "ERROR: template: t:1: non executable command in pipeline stage 2");
}

TEST(Template, Parse_ErrorLinesCountNewlines) {
  Fixture f;
  EXPECT_EQ(f.run("line1\n{{ .X"), "ERROR: template: t:2: unclosed action");
  EXPECT_EQ(f.run("line1\n{{ if 1 }}\n{{ .Foo \n}}"), "ERROR: template: t:4: unexpected EOF");
  EXPECT_EQ(f.run("a\n\nb {{ /* x */ }}"), "ERROR: template: t:3: unexpected \"/\" in command");
  EXPECT_EQ(f.run("a\n{{ if 1 }}\nb\n"), "ERROR: template: t:4: unexpected EOF");
}

TEST(Template, Parse_ErrorsReadAsGo) {
  Fixture f;
  EXPECT_EQ(f.run("{{ .Foo"), "ERROR: template: t:1: unclosed action");
  EXPECT_EQ(f.run("{{ \"unterminated }}"), "ERROR: template: t:1: unterminated quoted string");
  EXPECT_EQ(f.run("{{ foo }}"), "ERROR: template: t:1: function \"foo\" not defined");
  EXPECT_EQ(f.run("{{ $undefined }}"), "ERROR: template: t:1: undefined variable \"$undefined\"");
  EXPECT_EQ(f.run("{{ 3 | 4 }}"),
            "ERROR: template: t:1: non executable command in pipeline stage 2");
  EXPECT_EQ(f.run("{{ | }}"), "ERROR: template: t:1: unexpected \"|\" in command");
  EXPECT_EQ(f.run("{{ ( }}"), "ERROR: template: t:1: unclosed left paren");
  EXPECT_EQ(f.run("{{ ) }}"), "ERROR: template: t:1: unexpected \")\" in command");
  EXPECT_EQ(f.run("{{ 1a }}"), "ERROR: template: t:1: bad number syntax: \"1a\"");
  EXPECT_EQ(f.run("{{ .a# }}"), "ERROR: template: t:1: bad character U+0023 '#'");
  EXPECT_EQ(f.run("{{ 'ab' }}"), "ERROR: template: t:1: malformed character constant: 'ab'");
  EXPECT_EQ(f.run("{{ \"\\z\" }}"), "ERROR: template: t:1: invalid syntax");
}

}  // namespace
}  // namespace tocsin::tmpl::testing
