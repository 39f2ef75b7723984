/* flame.js - interactive flamegraph behaviour */
