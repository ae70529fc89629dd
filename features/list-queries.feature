@list
Feature: List queries
  A list takes include, limit, skip, count, orderBy, filter and continue.
  Each scenario makes its own tokens and filters on their names (the run id
  and a prefix of the scenario's own), so that it sees nothing else. The
  parameters are written as the API's documentation writes them; the suite
  URL-encodes them.

  Background:
    Given I am the member

  @list @user-scope
  Scenario Outline: Filtering by name with <operator>
    Given the member has a token named "op-<operator>-a"
    And the member has a token named "op-<operator>-b"
    And the member has a token named "op-<operator>-c"
    When I list the member's tokens with:
      | orderBy | name                                    |
      | filter  | name in '{run} op-<operator>-'          |
      | filter  | name <operator> '{run} op-<operator>-b' |
    Then the response status is 200
    And the items are the tokens "<listed>"

    Examples:
      | operator | listed             |
      | eq       | op-eq-b            |
      | lt       | op-lt-a            |
      | lte      | op-lte-a, op-lte-b |
      | gt       | op-gt-c            |
      | gte      | op-gte-b, op-gte-c |
      | in       | op-in-b            |

  @list @user-scope
  Scenario: in matches any part of the value
    Given the member has a token named "sub-alpha"
    And the member has a token named "sub-beta"
    When I list the member's tokens with:
      | filter | name in '{run} sub-' |
      | filter | name in 'lph'        |
    Then the response status is 200
    And the items are the tokens "sub-alpha"

  @list @user-scope
  Scenario: Repeated filters must all match, also on label fields
    Given the member has a token named "lab-qa" with labels:
      | name | value |
      | team | qa    |
    And the member has a token named "lab-ops" with labels:
      | name | value |
      | team | ops   |
    When I list the member's tokens with:
      | orderBy | name                              |
      | filter  | name in '{run} lab-'              |
      | filter  | metadata.labels[*].name eq 'team' |
    Then the items are the tokens "lab-ops, lab-qa"
    When I list the member's tokens with:
      | filter | name in '{run} lab-'             |
      | filter | metadata.labels[*].value eq 'qa' |
    Then the items are the tokens "lab-qa"

  @list @user-scope
  Scenario: A filter finds a token by its full name, spaces and all
    Given the member has a token named "by full name"
    And the member has a token named "by full name too"
    When I list the member's tokens with:
      | filter | name eq '{name of by full name}' |
    Then the response status is 200
    And the items are the tokens "by full name"

  @policy @list @user-scope
  Scenario: Timestamps compare in time order
    Given the member has a token named "ts-1"
    And the member has a token named "ts-2"
    When I send GET to "{user tokens of member}/{id of ts-2}"
    And I save the JSON at "metadata.creationTimestamp" as "second"
    And I list the member's tokens with:
      | filter | name in '{run} ts-'                        |
      | filter | metadata.creationTimestamp gte '{$second}' |
    Then the items are the tokens "ts-2"
    When I list the member's tokens with:
      | filter | name in '{run} ts-'                       |
      | filter | metadata.creationTimestamp lt '{$second}' |
    Then the items are the tokens "ts-1"

  @list @user-scope
  Scenario: include projects each item to the named fields, in that order
    Given the member has a token named "inc"
    When I list the member's tokens with:
      | include | name,id,userID      |
      | filter  | name eq '{run} inc' |
    Then the response status is 200
    And the response body matches the schema "token-list.json"
    And the JSON at "items" equals:
      """
      [["{name of inc}", "{id of inc}", "{member}"]]
      """

  @list @user-scope
  Scenario: orderBy sorts by a field, ascending or descending
    Given the member has a token named "ord-b"
    And the member has a token named "ord-c"
    And the member has a token named "ord-a"
    When I list the member's tokens with:
      | orderBy | name                 |
      | filter  | name in '{run} ord-' |
    Then the items are the tokens "ord-a, ord-b, ord-c"
    When I list the member's tokens with:
      | orderBy | name desc            |
      | filter  | name in '{run} ord-' |
    Then the items are the tokens "ord-c, ord-b, ord-a"
    And the items are ordered by "name" descending

  @policy @list @user-scope
  Scenario: Without orderBy the oldest token comes first
    Given the member has a token named "dflt-b"
    And the member has a token named "dflt-c"
    And the member has a token named "dflt-a"
    When I list the member's tokens with:
      | filter | name in '{run} dflt-' |
    Then the items are the tokens "dflt-b, dflt-c, dflt-a"

  @policy @list @user-scope
  Scenario: Ties under orderBy are broken by id
    Given the member has 6 tokens named "tie-"
    When I list the member's tokens with:
      | orderBy | userID               |
      | filter  | name in '{run} tie-' |
    Then the JSON at "items" has 6 items
    And the items are ordered by "id"

  @list @user-scope
  Scenario: limit caps the number of items and skip passes over the first matches
    Given the member has 4 tokens named "lim-"
    When I list the member's tokens with:
      | orderBy | name                 |
      | limit   | 2                    |
      | filter  | name in '{run} lim-' |
    Then the items are the tokens "lim-1, lim-2"
    When I list the member's tokens with:
      | orderBy | name                 |
      | skip    | 1                    |
      | filter  | name in '{run} lim-' |
    Then the items are the tokens "lim-2, lim-3, lim-4"
    When I list the member's tokens with:
      | orderBy | name                 |
      | skip    | 1                    |
      | limit   | 2                    |
      | filter  | name in '{run} lim-' |
    Then the items are the tokens "lim-2, lim-3"
    When I list the member's tokens with:
      | orderBy | name                 |
      | limit   | 100                  |
      | filter  | name in '{run} lim-' |
    Then the items are the tokens "lim-1, lim-2, lim-3, lim-4"

  @list @user-scope
  Scenario: count counts every match, ignoring limit and skip
    Given the member has 3 tokens named "cnt-"
    When I list the member's tokens with:
      | count  | true                 |
      | limit  | 1                    |
      | skip   | 1                    |
      | filter | name in '{run} cnt-' |
    Then the response status is 200
    And the JSON at "metadata.count" is 3
    And the JSON at "items" has 1 item

  @policy @list @user-scope
  Scenario: List metadata carries count only when asked, continue only when more remain
    Given the member has 3 tokens named "meta-"
    When I list the member's tokens with:
      | filter | name in '{run} meta-' |
    Then the JSON at "metadata" has exactly the keys ""
    When I list the member's tokens with:
      | count  | true                  |
      | filter | name in '{run} meta-' |
    Then the JSON at "metadata" has exactly the keys "count"
    When I list the member's tokens with:
      | limit  | 2                     |
      | filter | name in '{run} meta-' |
    Then the JSON at "metadata" has exactly the keys "continue"
    When I list the member's tokens with:
      | limit  | 3                     |
      | filter | name in '{run} meta-' |
    Then the JSON at "metadata" has exactly the keys ""

  @list @group-scope
  Scenario: Queries work the same in group scope
    Given the member has a token named "gq-b" made through the group scope
    And the member has a token named "gq-a" made through the group scope
    When I list the member's tokens through the group scope with:
      | include | id,name             |
      | orderBy | name                |
      | count   | true                |
      | filter  | name in '{run} gq-' |
    Then the response status is 200
    And the JSON at "metadata.count" is 2
    And the JSON at "items" equals:
      """
      [["{id of gq-a}", "{name of gq-a}"], ["{id of gq-b}", "{name of gq-b}"]]
      """

  @policy @list
  Scenario Outline: continue pages through a whole collection, each token exactly once (<order>)
    Given the member has 5 tokens named "<prefix>"
    Then paging through "{<scope> tokens of member}" with limit 2 and these parameters lists every token exactly once:
      | filter  | name in '{run} <prefix>' |
      | orderBy | <orderBy>                |
      | include | <include>                |

    @user-scope
    Examples: user scope
      | scope | order         | prefix | orderBy   | include |
      | user  | default order | pgd-   |           |         |
      | user  | by name, desc | pgn-   | name desc |         |
      | user  | with include  | pgi-   |           | id,name |

    @group-scope
    Examples: group scope
      | scope | order   | prefix | orderBy | include |
      | group | by name | pgg-   | name    |         |

  @policy @list @user-scope
  Scenario: Paging is not disturbed by tokens deleted or created between pages
    Given the member has 5 tokens named "ks-"
    When I list the member's tokens with:
      | orderBy | name                |
      | limit   | 2                   |
      | filter  | name in '{run} ks-' |
    Then the items are the tokens "ks-1, ks-2"
    When I save the JSON at "metadata.continue" as "next"
    And I send DELETE to "{user tokens of member}/{id of ks-1}"
    And the member has a token named "ks-0"
    And I list the member's tokens with:
      | orderBy  | name                |
      | limit    | 2                   |
      | filter   | name in '{run} ks-' |
      | continue | {$next}             |
    Then the response status is 200
    And the items are the tokens "ks-3, ks-4"

  @policy @list @user-scope
  Scenario: A continue token is refused for another query
    Given the member has 3 tokens named "cq-"
    When I list the member's tokens with:
      | limit  | 1                   |
      | filter | name in '{run} cq-' |
    And I save the JSON at "metadata.continue" as "next"
    And I list the member's tokens with:
      | limit    | 1                   |
      | orderBy  | name                |
      | filter   | name in '{run} cq-' |
      | continue | {$next}             |
    Then the response is problem 5
    And the problem names the parameter "continue"

  @policy @list @user-scope
  Scenario: A continue token is refused for another collection
    Given the member has 2 tokens named "cc-"
    And I am the admin
    When I list the member's tokens with:
      | limit  | 1                   |
      | filter | name in '{run} cc-' |
    And I save the JSON at "metadata.continue" as "next"
    And I list the viewer's tokens with:
      | limit    | 1                   |
      | filter   | name in '{run} cc-' |
      | continue | {$next}             |
    Then the response is problem 5
    And the problem names the parameter "continue"

  @policy @list @user-scope @readonly
  Scenario Outline: A continue token the server did not make is refused: <continue>
    When I list the member's tokens with:
      | limit    | 1          |
      | continue | <continue> |
    Then the response is problem 5
    And the problem names the parameter "continue"

    Examples:
      | continue             |
      | AAAA                 |
      | bm90IG91ciB0b2tlbg== |
      | not base64!          |

  @list @user-scope @readonly
  Scenario Outline: A filter value holds at least one character: <filter>
    When I list the member's tokens with:
      | filter | <filter> |
    Then the response is problem 5
    And the problem names the parameter "filter"

    Examples:
      | filter                    |
      | name eq ''                |
      | metadata.modifiedBy in '' |

  @policy @list @user-scope @readonly
  Scenario Outline: A query that does not parse is refused, not dropped: <query>
    When I send GET to "{user tokens of member}?<query>"
    Then the response is problem 5
    And the problem names the parameter "<parameter>"

    Examples:
      | query          | parameter |
      | limit=1;x      | limit     |
      | skip=1;limit=1 | skip      |

  @list @readonly
  Scenario Outline: An unsupported query parameter is refused: <query>
    When I send GET to "{<scope> tokens of member}?<query>"
    Then the response is problem 6
    And the problem names the parameter "<parameter>"

    @user-scope
    Examples: user scope
      | scope | query             | parameter |
      | user  | colour=red        | colour    |
      | user  | offset=1          | offset    |
      | user  | Limit=1           | Limit     |
      | user  | limit=1&sort=name | sort      |

    @group-scope
    Examples: group scope
      | scope | query      | parameter |
      | group | colour=red | colour    |

  @policy @list @readonly
  Scenario Outline: A value outside its documented pattern is refused: <query>
    When I send GET to "{<scope> tokens of member}?<query>"
    Then the response is problem 5
    And the problem names the parameter "<parameter>"

    @user-scope
    Examples: user scope
      | scope | query                          | parameter |
      | user  | limit=0                        | limit     |
      | user  | limit=-1                       | limit     |
      | user  | limit=two                      | limit     |
      | user  | skip=0                         | skip      |
      | user  | skip=01                        | skip      |
      | user  | count=yes                      | count     |
      | user  | count=false                    | count     |
      | user  | orderBy=name%20asc             | orderBy   |
      | user  | orderBy=name,id                | orderBy   |
      | user  | include=id%20name              | include   |
      | user  | include=id,                    | include   |
      | user  | filter=name%20like%20%27x%27   | filter    |
      | user  | filter=name%20eq%20x           | filter    |
      | user  | filter=name%20eq%20%27x        | filter    |
      | user  | filter=name%20eq%20%27a%21b%27 | filter    |

    @group-scope
    Examples: group scope
      | scope | query   | parameter |
      | group | limit=0 | limit     |

  @policy @list @user-scope @readonly
  Scenario Outline: A field that cannot be used is refused: <query>
    When I send GET to "{user tokens of member}?<query>"
    Then the response is problem 5
    And the problem names the parameter "<parameter>"

    Examples:
      | query                        | parameter |
      | include=token                | include   |
      | include=colour               | include   |
      | orderBy=token                | orderBy   |
      | orderBy=colour%20desc        | orderBy   |
      | filter=colour%20eq%20%27x%27 | filter    |

  @policy @list @user-scope @readonly
  Scenario: Every bad parameter is named
    When I send GET to "{user tokens of member}?limit=0&skip=0&count=yes"
    Then the response is problem 5
    And the problem names the parameter "limit"
    And the problem names the parameter "skip"
    And the problem names the parameter "count"
    When I send GET to "{user tokens of member}?orderBy=colour&include=token"
    Then the response is problem 5
    And the problem names the parameter "orderBy"
    And the problem names the parameter "include"
