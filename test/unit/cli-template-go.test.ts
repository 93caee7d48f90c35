// Go's own text/template tests, as data: the cases of exec_test.go (execTests, cmpTests) and
// parse_test.go (errorTests) from github.com/golang/go src/text/template, transcribed where they
// apply to JSON-shaped data (BSD-style licence, Copyright The Go Authors). Go methods become
// functions in the data; cases on Go-only types (complex numbers, unsigned and sized integers,
// channels, Stringer/error values, struct printing, pointers) are left out. Where JSON's
// map[string]interface{} differs from a typed Go map (a missing key is `<no value>`, not 0) the
// expected output says so.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoFloat, goMethod, parseGoTemplate, type TemplateFunction } from '../../src/cli/engine/output/template/index.js';
import { sprint, sprintf } from '../../src/cli/engine/output/template/fmt.js';

const method = goMethod;

/** exec_test.go's tVal, as JSON with methods. */
const tVal = {
  True: true,
  I: 17,
  U16: 16,
  X: 'x',
  S: 'xyz',
  U: { V: 'v', TrueFalse: method((b: unknown) => (b ? 'true' : '')) },
  FloatZero: 0,
  SI: [3, 4, 5],
  SIEmpty: [],
  SB: [true, false],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  SMSI: [{ one: 1, two: 2 }, { eleven: 11, twelve: 12 }],
  Empty0: null,
  Empty1: 3,
  Empty2: 'empty2',
  Empty3: [7, 8],
  Empty4: { V: 'UinEmpty' },
  PI: 23,
  PS: 'a string',
  PSI: [21, 22, 23],
  // a func-valued field, not a method: `.BinaryFunc` is the function, `call` calls it
  BinaryFunc: (a: unknown, b: unknown) => `[${a}=${b}]`,
  Method0: method(() => 'M0'),
  Method1: method((a: unknown) => a),
  Method2: method((a: unknown, b: unknown) => `Method2: ${a} ${b}`),
  Method3: method((v: unknown) => `Method3: ${sprint([v])}`),
  GetU: method(() => tVal.U),
  Copy: method(() => ({ ...tVal })),
  MAdd: method((a: unknown, b: unknown) => (b as number[]).map((x) => x + (a as number))),
};

const fn = (params: TemplateFunction['params'], call: (a: unknown[]) => unknown, variadic?: TemplateFunction['variadic']): TemplateFunction => ({ params, call, ...(variadic ? { variadic } : {}) });
/** testExecute's FuncMap */
const funcs: Record<string, TemplateFunction> = {
  add: fn([], (a) => (a as number[]).reduce((x, y) => x + y, 0), 'int'),
  echo: fn(['any'], ([a]) => a),
  makemap: fn([], (a) => Object.fromEntries(Array.from({ length: a.length / 2 }, (_, i) => [a[2 * i], a[2 * i + 1]])), 'string'),
  mapOfThree: fn([], () => ({ three: 3 })),
  oneArg: fn(['string'], ([a]) => `oneArg=${a}`),
  twoArgs: fn(['string', 'string'], ([a, b]) => `twoArgs=${a}${b}`),
  typeOf: fn(['any'], ([a]) => sprintf('%T', [a])),
  zeroArgs: fn([], () => 'zeroArgs'),
  valueString: fn(['string'], () => 'value is ignored'),
  returnInt: fn([], () => 7),
};

type Case = [name: string, input: string, output: string, data: unknown, ok: boolean];

const execTests: Case[] = [
  ['empty', '', '', null, true],
  ['text', 'some text', 'some text', null, true],
  ['nil action', '{{nil}}', '', null, false],
  ['ideal int', '{{typeOf 3}}', 'int', 0, true],
  ['ideal float', '{{typeOf 1.0}}', 'float64', 0, true],
  ['ideal exp float', '{{typeOf 1e1}}', 'float64', 0, true],
  ['ideal nil without type', '{{nil}}', '', 0, false],
  ['.X', '-{{.X}}-', '-x-', tVal, true],
  ['.U.V', '-{{.U.V}}-', '-v-', tVal, true],
  ['map .one', '{{.MSI.one}}', '1', tVal, true],
  ['map .two', '{{.MSI.two}}', '2', tVal, true],
  ['map .NO', '{{.MSI.NO}}', '<no value>', tVal, true],
  ['map .WRONG args', '{{.MSI.one 1}}', '', tVal, false],
  ['dot int', '<{{.}}>', '<13>', 13, true],
  ['dot float', '<{{.}}>', '<15.1>', 15.1, true],
  ['dot bool', '<{{.}}>', '<true>', true, true],
  ['dot string', '<{{.}}>', '<hello>', 'hello', true],
  ['dot slice', '<{{.}}>', '<[-1 -2 -3]>', [-1, -2, -3], true],
  ['dot map', '<{{.}}>', '<map[two:22]>', { two: 22 }, true],
  ['$ int', '{{$}}', '123', 123, true],
  ['$.I', '{{$.I}}', '17', tVal, true],
  ['$.U.V', '{{$.U.V}}', 'v', tVal, true],
  ['declare in action', '{{$x := $.U.V}}{{$x}}', 'v', tVal, true],
  ['*int', '{{.PI}}', '23', tVal, true],
  ['*string', '{{.PS}}', 'a string', tVal, true],
  ['*[]int', '{{.PSI}}', '[21 22 23]', tVal, true],
  ['*[]int[1]', '{{index .PSI 1}}', '22', tVal, true],
  ['empty nil', '{{.Empty0}}', '<no value>', tVal, true],
  ['empty with int', '{{.Empty1}}', '3', tVal, true],
  ['empty with string', '{{.Empty2}}', 'empty2', tVal, true],
  ['empty with slice', '{{.Empty3}}', '[7 8]', tVal, true],
  ['empty with struct, field', '{{.Empty4.V}}', 'UinEmpty', tVal, true],
  ['.Method0', '-{{.Method0}}-', '-M0-', tVal, true],
  ['.Method1(1234)', '-{{.Method1 1234}}-', '-1234-', tVal, true],
  ['.Method1(.I)', '-{{.Method1 .I}}-', '-17-', tVal, true],
  ['.Method2(3, .X)', '-{{.Method2 3 .X}}-', '-Method2: 3 x-', tVal, true],
  ['.Method2(.U16, `str`)', '-{{.Method2 .U16 `str`}}-', '-Method2: 16 str-', tVal, true],
  ['.Method2(.U16, $x)', '{{if $x := .X}}-{{.Method2 .U16 $x}}{{end}}-', '-Method2: 16 x-', tVal, true],
  ['.Method3(nil constant)', '-{{.Method3 nil}}-', '-Method3: <nil>-', tVal, true],
  ['method on var', '{{if $x := .}}-{{$x.Method2 .U16 $x.X}}{{end}}-', '-Method2: 16 x-', tVal, true],
  ['method on chained var', '{{range .MSIone}}{{if $.U.TrueFalse $.True}}{{$.U.TrueFalse $.True}}{{else}}WRONG{{end}}{{end}}', 'true', tVal, true],
  ['chained method', '{{range .MSIone}}{{if $.GetU.TrueFalse $.True}}{{$.U.TrueFalse $.True}}{{else}}WRONG{{end}}{{end}}', 'true', tVal, true],
  ['chained method on variable', '{{with $x := .}}{{with .SI}}{{$.GetU.TrueFalse $.True}}{{end}}{{end}}', 'true', tVal, true],
  ['.BinaryFunc', '{{call .BinaryFunc `1` `2`}}', '[1=2]', tVal, true],
  ['if .BinaryFunc call', '{{ if .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{end}}', '[1=2]', tVal, true],
  ['if not .BinaryFunc call', '{{ if not .BinaryFunc}}{{call .BinaryFunc `1` `2`}}{{else}}No{{end}}', 'No', tVal, true],
  ['call nil', '{{call nil}}', '', tVal, false],
  ['.BinaryFuncTooFew', '{{call .BinaryFunc `1`}}', '', tVal, false],
  ['.BinaryFuncTooMany', '{{call .BinaryFunc `1` `2` `3`}}', '', tVal, false],
  ['pipeline', '-{{.Method0 | .Method2 .U16}}-', '-Method2: 16 M0-', tVal, true],
  ['parens in pipeline', '{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}', '1 5 15', tVal, true],
  ['parens: $ in paren', '{{($).X}}', 'x', tVal, true],
  ['parens: $.GetU in paren', '{{($.GetU).V}}', 'v', tVal, true],
  ['parens: $ in paren in pipe', '{{($ | echo).X}}', 'x', tVal, true],
  ['parens: spaces and args', '{{(makemap "up" "down" "left" "right").left}}', 'right', tVal, true],
  ['if true', '{{if true}}TRUE{{end}}', 'TRUE', tVal, true],
  ['if false', '{{if false}}TRUE{{else}}FALSE{{end}}', 'FALSE', tVal, true],
  ['if nil', '{{if nil}}TRUE{{end}}', '', tVal, false],
  ['if 1', '{{if 1}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal, true],
  ['if 0', '{{if 0}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['if 1.5', '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal, true],
  ['if 0.0', '{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['if emptystring', '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['if string', '{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
  ['if emptyslice', '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['if slice', '{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
  ['if emptymap', '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['if map', '{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
  ['if map unset', '{{if .MSI.none}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['if map not unset', '{{if not .MSI.none}}ZERO{{else}}NON-ZERO{{end}}', 'ZERO', tVal, true],
  ['if $x with $y int', '{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}', 'true,17', tVal, true],
  ['if $x with $x int', '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}', '17,true', tVal, true],
  ['if else if', '{{if false}}FALSE{{else if true}}TRUE{{end}}', 'TRUE', tVal, true],
  ['if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3', tVal, true],
  ['print', '{{print "hello, print"}}', 'hello, print', tVal, true],
  ['print 123', '{{print 1 2 3}}', '1 2 3', tVal, true],
  ['print nil', '{{print nil}}', '<nil>', tVal, true],
  ['println', '{{println 1 2 3}}', '1 2 3\n', tVal, true],
  ['printf int', '{{printf "%04x" 127}}', '007f', tVal, true],
  ['printf float', '{{printf "%g" 3.5}}', '3.5', tVal, true],
  ['printf string', '{{printf "%s" "hello"}}', 'hello', tVal, true],
  ['printf function', '{{printf "%#q" zeroArgs}}', '`zeroArgs`', tVal, true],
  ['printf field', '{{printf "%s" .U.V}}', 'v', tVal, true],
  ['printf method', '{{printf "%s" .Method0}}', 'M0', tVal, true],
  ['printf dot', '{{with .I}}{{printf "%d" .}}{{end}}', '17', tVal, true],
  ['printf var', '{{with $x := .I}}{{printf "%d" $x}}{{end}}', '17', tVal, true],
  ['html', '{{html "<script>alert(\\"XSS\\");</script>"}}', '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;', null, true],
  ['html pipeline', '{{printf "<script>alert(\\"XSS\\");</script>" | html}}', '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;', null, true],
  ['html field', '{{html .PS}}', 'a string', tVal, true],
  ['js', '{{js .}}', "It\\'d be nice.", "It'd be nice.", true],
  ['urlquery', '{{"http://www.example.org/"|urlquery}}', 'http%3A%2F%2Fwww.example.org%2F', null, true],
  ['not', '{{not true}} {{not false}}', 'false true', null, true],
  ['and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1', null, true],
  ['or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1', null, true],
  ['boolean if', '{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}', 'TRUE', tVal, true],
  ['boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE', null, true],
  ['slice[0]', '{{index .SI 0}}', '3', tVal, true],
  ['slice[1]', '{{index .SI 1}}', '4', tVal, true],
  ['slice[HUGE]', '{{index .SI 10}}', '', tVal, false],
  ['slice[WRONG]', '{{index .SI `hello`}}', '', tVal, false],
  ['slice[nil]', '{{index .SI nil}}', '', tVal, false],
  ['map[one]', '{{index .MSI `one`}}', '1', tVal, true],
  ['map[two]', '{{index .MSI `two`}}', '2', tVal, true],
  // Go's map[string]int gives its zero value, 0; a JSON map holds interfaces: <no value>
  ['map[NO]', '{{index .MSI `XXX`}}', '<no value>', tVal, true],
  ['map[``]', '{{index .MSI ``}}', '<no value>', tVal, true],
  ['map[WRONG]', '{{index .MSI 10}}', '', tVal, false],
  ['double index', '{{index .SMSI 1 `eleven`}}', '11', tVal, true],
  ['nil[1]', '{{index nil 1}}', '', tVal, false],
  ['len slice', '{{len .SI}}', '3', tVal, true],
  ['len map', '{{len .MSI }}', '3', tVal, true],
  ['len of int', '{{len 3}}', '', tVal, false],
  ['len of nothing', '{{len .Empty0}}', '', tVal, false],
  ['with true', '{{with true}}{{.}}{{end}}', 'true', tVal, true],
  ['with false', '{{with false}}{{.}}{{else}}FALSE{{end}}', 'FALSE', tVal, true],
  ['with 1', '{{with 1}}{{.}}{{else}}ZERO{{end}}', '1', tVal, true],
  ['with 0', '{{with 0}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['with 1.5', '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', '1.5', tVal, true],
  ['with 0.0', '{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['with emptystring', '{{with ``}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['with string', '{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}', 'notempty', tVal, true],
  ['with emptyslice', '{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]', tVal, true],
  ['with emptymap', '{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]', tVal, true],
  ['with empty interface, struct field', '{{with .Empty4}}{{.V}}{{end}}', 'UinEmpty', tVal, true],
  ['with $x int', '{{with $x := .I}}{{$x}}{{end}}', '17', tVal, true],
  ['with $x struct.U.V', '{{with $x := $}}{{$x.U.V}}{{end}}', 'v', tVal, true],
  ['with variable and action', '{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', 'v', tVal, true],
  ['range []int', '{{range .SI}}-{{.}}-{{end}}', '-3--4--5-', tVal, true],
  ['range empty no else', '{{range .SIEmpty}}-{{.}}-{{end}}', '', tVal, true],
  ['range []int else', '{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}', '-3--4--5-', tVal, true],
  ['range empty else', '{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['range []bool', '{{range .SB}}-{{.}}-{{end}}', '-true--false-', tVal, true],
  ['range []int method', '{{range .SI | .MAdd .I}}-{{.}}-{{end}}', '-20--21--22-', tVal, true],
  ['range map', '{{range .MSI}}-{{.}}-{{end}}', '-1--3--2-', tVal, true],
  ['range empty map no else', '{{range .MSIEmpty}}-{{.}}-{{end}}', '', tVal, true],
  ['range map else', '{{range .MSI}}-{{.}}-{{else}}EMPTY{{end}}', '-1--3--2-', tVal, true],
  ['range empty map else', '{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['range empty interface', '{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}', '-7--8-', tVal, true],
  ['range empty nil', '{{range .Empty0}}-{{.}}-{{end}}', '', tVal, true],
  ['range $x SI', '{{range $x := .SI}}<{{$x}}>{{end}}', '<3><4><5>', tVal, true],
  ['range $x $y SI', '{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', '<0=3><1=4><2=5>', tVal, true],
  ['range $x MSIone', '{{range $x := .MSIone}}<{{$x}}>{{end}}', '<1>', tVal, true],
  ['range $x $y MSIone', '{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', '<one=1>', tVal, true],
  ['range $x PSI', '{{range $x := .PSI}}<{{$x}}>{{end}}', '<21><22><23>', tVal, true],
  ['declare in range', '{{range $x := .PSI}}<{{$foo:=$x}}{{$x}}>{{end}}', '<21><22><23>', tVal, true],
  ['range int', '{{range 3}}[{{.}}]{{end}}', '[0][1][2]', tVal, true],
  ['range break', '{{range .SI}}{{if eq . 4}}{{break}}{{end}}-{{.}}-{{end}}', '-3-', tVal, true],
  ['range continue', '{{range .SI}}{{if eq . 4}}{{continue}}{{end}}-{{.}}-{{end}}', '-3--5-', tVal, true],
  ['or as if true', '{{or .SI "slice is empty"}}', '[3 4 5]', tVal, true],
  ['or as if false', '{{or .SIEmpty "slice is empty"}}', 'slice is empty', tVal, true],
  ['bug0', '{{range .MSIone}}{{if $.Method1 .}}X{{end}}{{end}}', 'X', tVal, true],
  ['bug3', '{{with $}}{{.Method0}}{{end}}', 'M0', tVal, true],
  ['bug4', '{{if .Empty0}}non-nil{{else}}nil{{end}}', 'nil', tVal, true],
  ['bug7a', '{{3 2}}', '', tVal, false],
  ['bug7b', '{{$x := 1}}{{$x 2}}', '', tVal, false],
  ['bug7c', '{{$x := 1}}{{3 | $x}}', '', tVal, false],
  ['bug8a', '{{3|oneArg}}', '', tVal, false],
  ['bug9', '{{.cause}}', 'neglect', { cause: 'neglect' }, true],
  ['bug10', '{{mapOfThree.three}}-{{(mapOfThree).three}}', '3-3', 0, true],
  ['bug12xe', '{{printf `%T` 0xef}}', 'int', {}, true],
  ['bug12xE', '{{printf `%T` 0xEE}}', 'int', {}, true],
  ['bug12Xe', '{{printf `%T` 0Xef}}', 'int', {}, true],
  ['bug12XE', '{{printf `%T` 0XEE}}', 'int', {}, true],
  ['bug13', '{{print (.Copy).I}}', '17', tVal, true],
  ['bug14a', '{{(nil).True}}', '', tVal, false],
  ['bug14b', '{{$x := nil}}{{$x.anything}}', '', tVal, false],
  ['bug14c', '{{$x := (1.0)}}{{$y := ("hello")}}{{$x.anything}}{{$y.true}}', '', tVal, false],
  ['bug15', '{{valueString returnInt}}', '', tVal, false],
  ['bug16a', '{{true|printf}}', '', tVal, false],
  ['bug16b', '{{1|printf}}', '', tVal, false],
  ['bug16c', '{{1.1|printf}}', '', tVal, false],
  ['bug16d', "{{'x'|printf}}", '', tVal, false],
  ['bug16f', '{{true|twoArgs "xxx"}}', '', tVal, false],
  ['bug16g', '{{"aaa" |twoArgs "bbb"}}', 'twoArgs=bbbaaa', tVal, true],
  ['bug16h', '{{1|oneArg}}', '', tVal, false],
  ['bug16i', '{{"aaa"|oneArg}}', 'oneArg=aaa', tVal, true],
  ['bug16k', '{{"aaa"|printf }}', 'aaa', tVal, true],
];

/** cmpTests, over exec_test.go's cmpStruct (Uthree and Ufour are ints here: JSON has no uint). */
const cmpTests: [expr: string, truth: string, ok: boolean][] = [
  ['eq true true', 'true', true], ['eq true false', 'false', true],
  ['eq 1.5 1.5', 'true', true], ['eq 1.5 2.5', 'false', true],
  ['eq 1 1', 'true', true], ['eq 1 2', 'false', true],
  ['eq `xy` `xy`', 'true', true], ['eq `xy` `xyz`', 'false', true],
  ['eq .Uthree .Uthree', 'true', true], ['eq .Uthree .Ufour', 'false', true],
  ['eq 3 4 5 6 3', 'true', true], ['eq 3 4 5 6 7', 'false', true],
  ['ne true true', 'false', true], ['ne true false', 'true', true],
  ['ne 1.5 1.5', 'false', true], ['ne 1.5 2.5', 'true', true],
  ['ne 1 1', 'false', true], ['ne 1 2', 'true', true],
  ['ne `xy` `xy`', 'false', true], ['ne `xy` `xyz`', 'true', true],
  ['lt 1.5 1.5', 'false', true], ['lt 1.5 2.5', 'true', true],
  ['lt 1 1', 'false', true], ['lt 1 2', 'true', true],
  ['lt `xy` `xy`', 'false', true], ['lt `xy` `xyz`', 'true', true],
  ['le 1.5 1.5', 'true', true], ['le 1.5 2.5', 'true', true], ['le 2.5 1.5', 'false', true],
  ['le 1 1', 'true', true], ['le 1 2', 'true', true], ['le 2 1', 'false', true],
  ['le `xy` `xy`', 'true', true], ['le `xy` `xyz`', 'true', true], ['le `xyz` `xy`', 'false', true],
  ['gt 1.5 1.5', 'false', true], ['gt 1.5 2.5', 'false', true],
  ['gt 1 1', 'false', true], ['gt 2 1', 'true', true], ['gt 1 2', 'false', true],
  ['gt `xy` `xy`', 'false', true], ['gt `xy` `xyz`', 'false', true],
  ['ge 1.5 1.5', 'true', true], ['ge 1.5 2.5', 'false', true], ['ge 2.5 1.5', 'true', true],
  ['ge 1 1', 'true', true], ['ge 1 2', 'false', true], ['ge 2 1', 'true', true],
  ['ge `xy` `xy`', 'true', true], ['ge `xy` `xyz`', 'false', true], ['ge `xyz` `xy`', 'true', true],
  ['lt .NegOne .Uthree', 'true', true], ['gt .Uthree .NegOne', 'true', true],
  ["eq (index `x` 0) 'x'", 'true', true], ["eq (index `x` 0) 'y'", 'false', true],
  ['eq `xy` 1', '', false],
  ['eq 2 2.0', '', false],
  ['lt true true', '', false],
];

/** parse_test.go's errorTests: the text each error must contain. */
const errorTests: [name: string, input: string, result: string][] = [
  ['unclosed1', 'line1\n{{', 'unclosed1:2: unclosed action'],
  ['unclosed2', 'line1\n{{define `x`}}line2\n{{', 'unclosed2:3: unclosed action'],
  ['unclosed3', 'line1\n{{"x"\n"y"\n', 'unclosed3:4: unclosed action started at unclosed3:2'],
  ['unclosed4', '{{\n\n\n\n\n', 'unclosed4:6: unclosed action started at unclosed4:1'],
  ['var1', 'line1\n{{\nx\n}}', 'var1:3: function "x" not defined'],
  ['function', '{{foo}}', 'function "foo" not defined'],
  ['comment1', '{{/*}}', 'comment1:1: unclosed comment'],
  ['comment2', '{{/*\nhello\n}}', 'comment2:1: unclosed comment'],
  ['lparen', '{{.X (1 2 3}}', 'unclosed left paren'],
  ['rparen', '{{.X 1 2 3 ) }}', 'unexpected right paren'],
  ['rparen2', '{{(.X 1 2 3', 'unclosed action'],
  ['space', '{{`x`3}}', 'in operand'],
  ['idchar', '{{a#}}', "'#'"],
  ['charconst', "{{'a}}", 'unterminated character constant'],
  ['stringconst', '{{"a}}', 'unterminated quoted string'],
  ['rawstringconst', '{{`a}}', 'unterminated raw quoted string'],
  ['number', '{{0xi}}', 'number syntax'],
  ['multidefine', '{{define `a`}}a{{end}}{{define `a`}}b{{end}}', 'multiple definition of template'],
  ['eof', '{{range .X}}', 'unexpected EOF'],
  ['variable', '{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}', 'unexpected ":="'],
  ['multidecl', '{{$a,$b,$c := 23}}', 'too many declarations'],
  ['undefvar', '{{$a}}', 'undefined variable'],
  ['wrongdot', '{{true.any}}', 'unexpected . after term'],
  ['wrongpipeline', '{{12|false}}', 'non executable command in pipeline'],
  ['emptypipeline', '{{ ( ) }}', 'missing value for parenthesized pipeline'],
  ['multilinerawstring', '{{ $v := `\n` }} {{', 'multilinerawstring:2: unclosed action'],
  ['rangeundefvar', '{{range $k}}{{end}}', 'undefined variable'],
  ['rangeundefvars', '{{range $k, $v}}{{end}}', 'undefined variable'],
  ['rangemissingvalue1', '{{range $k,}}{{end}}', 'missing value for range'],
  ['rangemissingvalue2', '{{range $k, $v := }}{{end}}', 'missing value for range'],
  ['rangenotvariable1', '{{range $k, .}}{{end}}', 'range can only initialize variables'],
  ['rangenotvariable2', '{{range $k, 123 := .}}{{end}}', 'range can only initialize variables'],
  ['break outside range', '{{break}}', '{{break}} outside {{range}}'],
];

describe("Go's text/template tests (exec_test.go, parse_test.go)", () => {
  it('execTests', () => {
    const failures: string[] = [];
    for (const [name, input, output, data, ok] of execTests) {
      let got: string | undefined;
      let err: unknown;
      try {
        got = parseGoTemplate(input, { name, funcs }).execute(data);
      } catch (e) {
        err = e;
      }
      if (ok && err) failures.push(`${name}: unexpected error: ${(err as Error).message}`);
      else if (!ok && !err) failures.push(`${name}: expected an error, got ${JSON.stringify(got)}`);
      else if (ok && got !== output) failures.push(`${name}: want ${JSON.stringify(output)}, got ${JSON.stringify(got)}`);
    }
    assert.deepEqual(failures, []);
  });

  it('cmpTests', () => {
    const data = { Uthree: 3, Ufour: 4, NegOne: -1, Three: 3 };
    const failures: string[] = [];
    for (const [expr, truth, ok] of cmpTests) {
      try {
        const got = parseGoTemplate(`{{if ${expr}}}true{{else}}false{{end}}`).execute(data);
        if (!ok) failures.push(`${expr}: expected an error, got ${got}`);
        else if (got !== truth) failures.push(`${expr}: want ${truth}, got ${got}`);
      } catch (e) {
        if (ok) failures.push(`${expr}: ${(e as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('errorTests', () => {
    const failures: string[] = [];
    for (const [name, input, result] of errorTests) {
      try {
        parseGoTemplate(input, { name });
        failures.push(`${name}: parsed`);
      } catch (e) {
        if (!(e as Error).message.includes(result)) failures.push(`${name}: ${(e as Error).message} does not contain ${result}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('TestExecError: the position and template of an error in a nested template', () => {
    const text = 'line 1\nline 2\nline 3\n{{template "one" .}}\n{{define "one"}}{{template "two" .}}{{end}}\n{{define "two"}}{{template "three" .}}{{end}}\n{{define "three"}}{{index "hi" $}}{{end}}';
    assert.throws(() => parseGoTemplate(text, { name: 'top' }).execute(5), {
      message: 'template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5',
    });
  });

  it('TestMissingMapKey: <no value> by default, an error with missingkey=error', () => {
    const t = parseGoTemplate('{{.x}} {{.y}}', { name: 't1' });
    assert.equal(t.execute({ x: 99 }), '99 <no value>');
    assert.throws(() => t.execute({ x: 99 }, { missingKey: 'error' }), { message: 'template: t1:1:9: executing "t1" at <.y>: map has no entry for key "y"' });
    assert.throws(() => t.execute(undefined, { missingKey: 'error' }), /nil data; no entry for key "x"/);
  });

  it('TestBlock and the tree example: define, block, template and trim markers', () => {
    assert.equal(parseGoTemplate('a{{block "inner" .}}bar{{.}}baz{{end}}b').execute('X'), 'abarXbazb');
    const tree = '{{- define "tree" -}}\n[\n\t{{- .Val -}}\n\t{{- with .Left -}}\n\t\t{{template "tree" . -}}\n\t{{- end -}}\n\t{{- with .Right -}}\n\t\t{{- template "tree" . -}}\n\t{{- end -}}\n]\n{{- end -}}\n{{template "tree" .}}';
    const node = (Val: number, Left: unknown = null, Right: unknown = null) => ({ Val, Left, Right });
    const data = node(1, node(2, node(3, node(4)), node(5, node(6))), node(7, node(8, node(9)), node(10, node(11))));
    assert.equal(parseGoTemplate(tree).execute(data), '[1[2[3[4]][5[6]]][7[8[9]][10[11]]]]');
  });

  it("TestJSEscaping and fmt's verbs", () => {
    assert.equal(parseGoTemplate('{{js .}}').execute('Go "jump" \\'), 'Go \\"jump\\" \\\\');
    assert.equal(parseGoTemplate('{{js .}}').execute('<html>'), '\\u003Chtml\\u003E');
    const cases: [string, unknown[], string][] = [
      ['%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%b|%c|%q|%U', [42, 42, 42, -42, 42, 255, 255, 8, 5, 65, 65, 0x1f600], '42|   42|42   |-0042|+42|ff|FF|10|101|A|\'A\'|U+1F600'],
      ['%s|%10s|%-10s|%.2s|%q|%x|% x', ['go', 'go', 'go', 'gopher', 'a"b\n', 'hi', 'hi'], 'go|        go|go        |go|"a\\"b\\n"|6869|68 69'],
      ['%f|%.2f|%8.3f|%e|%g|%g|%g|%G', [3.5, 3.14159, 2.5, 1234.5678, 0.000012, new GoFloat(1e21), new GoFloat(100000), 1e-7], '3.500000|3.14|   2.500|1.234568e+03|1.2e-05|1e+21|100000|1E-07'],
      ['%v|%v|%v|%t|%v', [[1, 'a'], { b: [1], a: 'x' }, null, true, 1.5], '[1 a]|map[a:x b:[1]]|<nil>|true|1.5'],
      ['%d|%s|%!|%z|%', [1.5, 2, 3], '%!d(float64=1.5)|%!s(int=2)|%!!(int=3)|%!z(MISSING)|%!(NOVERB)'],
      ['%[2]d %[1]d|%*d|%d', [1, 2], '2 1|%!d(MISSING)|%!d(MISSING)'],
      ['%d %d', [1, 2, 3], '1 2%!(EXTRA int=3)'],
      ['%6.2f%%', [99.5], ' 99.50%'],
    ];
    for (const [f, args, want] of cases) assert.equal(sprintf(f, args), want, f);
  });
});
