/**
 * Evaluates a parsed calculator expression by walking its tree over an allowlist: numbers,
 * arithmetic operators, percentages, a few constants and named functions. Anything else (a
 * variable, an assignment, a matrix, a string, a property access, or any function not listed,
 * such as `import`, `createUnit`, `evaluate`, `parse` or `simplify`) is refused before it runs,
 * so an expression cannot change the calculator or reach past it.
 */
import type {
  BigNumber,
  ConstantNode,
  FunctionNode,
  MathNode,
  OperatorNode,
  ParenthesisNode,
  SymbolNode,
} from 'mathjs';
import type { CalculatorMath } from './math';

/** A reason an expression has no result, as a sentence for the user and the model. */
export class CalculationError extends Error {
  override name = 'CalculationError';
}

export interface Evaluation {
  value: BigNumber;
  /**
   * The largest magnitude added, subtracted or taken the sine of: where a result comes from
   * cancelling such values, its rounding noise is measured against this.
   */
  scale: BigNumber;
  /** Some step had to round (a non-terminating quotient, an irrational function, a huge integer). */
  rounded: boolean;
}

type MathFunction = (...args: BigNumber[]) => unknown;

const OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'pow',
  'mod',
  'unaryMinus',
  'unaryPlus',
  'factorial',
]);

/** Where a result near zero can be rounding noise: a difference of near-equal values, a sine near a zero. */
const CANCELLING = new Set(['add', 'subtract', 'sin', 'cos', 'tan']);

/** Function names a model may write, with the mathjs function behind each and its arity. */
const FUNCTIONS: Record<string, { fn: string; min: number; max: number }> = {
  sqrt: { fn: 'sqrt', min: 1, max: 1 },
  cbrt: { fn: 'cbrt', min: 1, max: 1 },
  nthRoot: { fn: 'nthRoot', min: 2, max: 2 },
  abs: { fn: 'abs', min: 1, max: 1 },
  exp: { fn: 'exp', min: 1, max: 1 },
  log: { fn: 'log', min: 1, max: 2 },
  ln: { fn: 'log', min: 1, max: 1 },
  log10: { fn: 'log10', min: 1, max: 1 },
  log2: { fn: 'log2', min: 1, max: 1 },
  sin: { fn: 'sin', min: 1, max: 1 },
  cos: { fn: 'cos', min: 1, max: 1 },
  tan: { fn: 'tan', min: 1, max: 1 },
  asin: { fn: 'asin', min: 1, max: 1 },
  acos: { fn: 'acos', min: 1, max: 1 },
  atan: { fn: 'atan', min: 1, max: 1 },
  atan2: { fn: 'atan2', min: 2, max: 2 },
  sinh: { fn: 'sinh', min: 1, max: 1 },
  cosh: { fn: 'cosh', min: 1, max: 1 },
  tanh: { fn: 'tanh', min: 1, max: 1 },
  round: { fn: 'round', min: 1, max: 2 },
  floor: { fn: 'floor', min: 1, max: 1 },
  ceil: { fn: 'ceil', min: 1, max: 1 },
  sign: { fn: 'sign', min: 1, max: 1 },
  min: { fn: 'min', min: 1, max: 100 },
  max: { fn: 'max', min: 1, max: 100 },
  gcd: { fn: 'gcd', min: 2, max: 100 },
  lcm: { fn: 'lcm', min: 2, max: 100 },
  hypot: { fn: 'hypot', min: 1, max: 100 },
  factorial: { fn: 'factorial', min: 1, max: 1 },
  pow: { fn: 'pow', min: 2, max: 2 },
  mod: { fn: 'mod', min: 2, max: 2 },
};

const CONSTANTS: Record<string, 'pi' | 'e' | 'tau' | 'phi'> = {
  pi: 'pi',
  PI: 'pi',
  π: 'pi',
  e: 'e',
  E: 'e',
  tau: 'tau',
  τ: 'tau',
  phi: 'phi',
  φ: 'phi',
};

/** An angle beyond this says nothing at 64 digits, and costs decimal.js thousands of digits of pi. */
export const ANGLE_LIMIT = '1e30';

/** Above this, a factorial takes long enough to freeze the page, and its digits mean nothing here. */
export const FACTORIAL_LIMIT = 10_000;

const HINT = 'it takes numbers, + - * / ^ %, parentheses and functions such as sqrt, log and sin';

export function evaluateTree(math: CalculatorMath, precision: number, tree: MathNode): Evaluation {
  let scale = math.bignumber(0);
  let rounded = false;

  const note = (value: BigNumber): BigNumber => {
    if (value.sd() >= precision) rounded = true;
    return value;
  };

  const call = (name: string, args: BigNumber[], node: MathNode): BigNumber => {
    checkDomain(name, args, node);
    if (CANCELLING.has(name)) for (const arg of args) if (arg.abs().gt(scale)) scale = arg.abs();
    const fn = (math as unknown as Record<string, MathFunction | undefined>)[name];
    if (typeof fn !== 'function') throw new CalculationError(`The calculator has no function “${name}”.`);
    const result = fn(...args);
    if (!math.isBigNumber(result)) throw new CalculationError(`“${node.toString()}” has no real-number result.`);
    if (result.isNaN()) throw new CalculationError(`“${node.toString()}” has no real-number result.`);
    if (!result.isFinite()) {
      throw new CalculationError(
        args.some((arg) => arg.isZero())
          ? `“${node.toString()}” has no finite result.`
          : `The result of “${node.toString()}” is too large for the calculator.`,
      );
    }
    return note(result);
  };

  const visit = (node: MathNode): BigNumber => {
    switch (node.type) {
      case 'ConstantNode': {
        const { value } = node as ConstantNode<ConstantNode['value'] | BigNumber>;
        // A percentage's "/ 100" comes as a plain number; every literal the model wrote is a BigNumber.
        if (typeof value === 'number') return note(math.bignumber(value));
        if (math.isBigNumber(value) && value.isFinite()) return note(value);
        if (math.isBigNumber(value))
          throw new CalculationError('A number in the expression is too large for the calculator.');
        throw new CalculationError(`The calculator only works with numbers, not “${node.toString()}”.`);
      }
      case 'ParenthesisNode':
        return visit((node as ParenthesisNode).content);
      case 'SymbolNode': {
        const { name } = node as SymbolNode;
        const constant = Object.hasOwn(CONSTANTS, name) ? CONSTANTS[name] : undefined;
        if (!constant) throw new CalculationError(`The calculator does not know “${name}”: ${HINT}.`);
        return note(math[constant] as unknown as BigNumber);
      }
      case 'OperatorNode': {
        const { fn, op, args } = node as OperatorNode;
        if (!OPERATORS.has(fn)) throw new CalculationError(`The calculator does not support the operator “${op}”.`);
        return call(fn, args.map(visit), node);
      }
      case 'FunctionNode': {
        const { fn, args } = node as FunctionNode;
        const name = fn.type === 'SymbolNode' ? fn.name : fn.toString();
        const known = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
        if (!known) throw new CalculationError(`The calculator has no function “${name}”: ${HINT}.`);
        if (args.length < known.min || args.length > known.max) {
          const takes = known.min === known.max ? `${known.min}` : `${known.min} to ${known.max}`;
          throw new CalculationError(
            `The function “${name}” takes ${takes} argument${known.max === 1 ? '' : 's'}, not ${args.length}.`,
          );
        }
        return call(known.fn, args.map(visit), node);
      }
      case 'AssignmentNode':
      case 'FunctionAssignmentNode':
        throw new CalculationError(`The calculator cannot define variables or functions (“${node.toString()}”).`);
      default:
        throw new CalculationError(`The calculator only works with numbers, not “${node.toString()}”.`);
    }
  };

  const value = visit(tree);
  return { value, scale, rounded };
}

/** Refusals that must come before the call: mathjs answers these with Infinity or a long wait. */
function checkDomain(name: string, args: BigNumber[], node: MathNode): void {
  const [first, second] = args;
  if (!first) return;
  const byZero =
    ((name === 'divide' || name === 'mod') && second?.isZero()) ||
    (name === 'pow' && first.isZero() && second?.isNegative());
  if (byZero) throw new CalculationError(`Division by zero has no result (in “${node.toString()}”).`);
  if ((name === 'sin' || name === 'cos' || name === 'tan') && first.abs().gte(ANGLE_LIMIT)) {
    throw new CalculationError(`The angle in “${node.toString()}” is too large for the calculator.`);
  }
  if (name === 'factorial' && first.gt(FACTORIAL_LIMIT)) {
    throw new CalculationError(`“${node.toString()}” is too large: the calculator stops at ${FACTORIAL_LIMIT}!.`);
  }
}
