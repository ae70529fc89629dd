@authentication
Feature: Authentication
  Every operation needs a bearer credential. Without an Authorization header
  the answer is problem 3; with a credential that is invalid, revoked or
  unknown it is problem 4. Authentication is checked before anything else,
  so the token id below need not exist.

  @create
  Scenario Outline: Creating a token needs a valid credential
    Given I send <credential>
    When I send POST to "{<scope> tokens of member}" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} unauthenticated"}
      """
    Then the response is problem <problem>

    @user-scope
    Examples: user scope
      | scope | credential                                           | problem |
      | user  | no credentials                                       | 3       |
      | user  | the Authorization header "Bearer no-such-credential" | 4       |

    @group-scope
    Examples: group scope
      | scope | credential                                           | problem |
      | group | no credentials                                       | 3       |
      | group | the Authorization header "Bearer no-such-credential" | 4       |

  @list @readonly
  Scenario Outline: Listing tokens needs a valid credential
    Given I send <credential>
    When I send GET to "{<scope> tokens of member}"
    Then the response is problem <problem>

    @user-scope
    Examples: user scope
      | scope | credential                                           | problem |
      | user  | no credentials                                       | 3       |
      | user  | the Authorization header "Bearer no-such-credential" | 4       |

    @group-scope
    Examples: group scope
      | scope | credential                                           | problem |
      | group | no credentials                                       | 3       |
      | group | the Authorization header "Bearer no-such-credential" | 4       |

  @get @readonly
  Scenario Outline: Reading a token needs a valid credential
    Given I send <credential>
    When I send GET to "{<scope> tokens of member}/11111111-1111-4111-8111-111111111111"
    Then the response is problem <problem>

    @user-scope
    Examples: user scope
      | scope | credential                                           | problem |
      | user  | no credentials                                       | 3       |
      | user  | the Authorization header "Bearer no-such-credential" | 4       |

    @group-scope
    Examples: group scope
      | scope | credential                                           | problem |
      | group | no credentials                                       | 3       |
      | group | the Authorization header "Bearer no-such-credential" | 4       |

  @update
  Scenario Outline: Updating a token needs a valid credential
    Given I send <credential>
    When I send PUT to "{<scope> tokens of member}/11111111-1111-4111-8111-111111111111" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} unauthenticated"}
      """
    Then the response is problem <problem>

    @user-scope
    Examples: user scope
      | scope | credential                                           | problem |
      | user  | no credentials                                       | 3       |
      | user  | the Authorization header "Bearer no-such-credential" | 4       |

    @group-scope
    Examples: group scope
      | scope | credential                                           | problem |
      | group | no credentials                                       | 3       |
      | group | the Authorization header "Bearer no-such-credential" | 4       |

  @delete
  Scenario Outline: Deleting a token needs a valid credential
    Given I send <credential>
    When I send DELETE to "{<scope> tokens of member}/11111111-1111-4111-8111-111111111111"
    Then the response is problem <problem>

    @user-scope
    Examples: user scope
      | scope | credential                                           | problem |
      | user  | no credentials                                       | 3       |
      | user  | the Authorization header "Bearer no-such-credential" | 4       |

    @group-scope
    Examples: group scope
      | scope | credential                                           | problem |
      | group | no credentials                                       | 3       |
      | group | the Authorization header "Bearer no-such-credential" | 4       |

  @policy @list @user-scope @readonly
  Scenario Outline: An Authorization header other than a bearer credential is invalid
    Given I send the Authorization header "<authorization>"
    When I send GET to "{user tokens of member}"
    Then the response is problem 4

    Examples:
      | authorization   |
      | Basic bWU6cHc=  |
      | Bearer          |
      | Token something |
