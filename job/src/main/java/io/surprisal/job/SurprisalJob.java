package io.surprisal.job; /** placeholder */ public final class SurprisalJob { public static void main(String[] a) {} }
