@paths
Feature: Paths that address nothing
  GET and POST answer problem 2 ("Collection not found") for whatever was
  not found, even a single missing token; PUT and DELETE answer problem 1
  ("Resource not found"). Malformed ids are refused before anything is
  looked up, and a path outside the API is not found.

  Background:
    Given I am the member

  @get @readonly
  Scenario Outline: Reading a token that does not exist answers problem 2
    When I send GET to "{<scope> tokens of member}/11111111-1111-4111-8111-111111111111"
    Then the response is problem 2

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @update
  Scenario Outline: Updating a token that does not exist answers problem 1
    When I send PUT to "{<scope> tokens of member}/11111111-1111-4111-8111-111111111111" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} ghost"}
      """
    Then the response is problem 1

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  @delete
  Scenario Outline: Deleting a token that does not exist answers problem 1
    When I send DELETE to "{<scope> tokens of member}/11111111-1111-4111-8111-111111111111"
    Then the response is problem 1

    @user-scope
    Examples: user scope
      | scope |
      | user  |

    @group-scope
    Examples: group scope
      | scope |
      | group |

  Scenario Outline: Another user's token is not found in the member's collection (<method>)
    Given the second member has a token named "elsewhere"
    When I send <method> to "{<scope> tokens of member}/{id of elsewhere}"
    Then the response is problem <problem>

    @get @user-scope
    Examples: get, user scope
      | method | scope | problem |
      | GET    | user  | 2       |

    @delete @group-scope
    Examples: delete, group scope
      | method | scope | problem |
      | DELETE | group | 1       |

  Scenario Outline: A user or group that does not exist has no collection (<method>, <scope> scope)
    Given I am the admin
    When I send <method> to "<tokens><item>" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} nobody's"}
      """
    Then the response is problem <problem>

    @create @user-scope
    Examples: create, user scope
      | method | scope | tokens                                                                        | item | problem |
      | POST   | user  | /accounts/{account}/core/v1/users/22222222-2222-4222-8222-222222222222/tokens |      | 2       |

    @update @user-scope
    Examples: update, user scope
      | method | scope | tokens                                                                        | item                                  | problem |
      | PUT    | user  | /accounts/{account}/core/v1/users/22222222-2222-4222-8222-222222222222/tokens | /11111111-1111-4111-8111-111111111111 | 1       |

    @create @group-scope
    Examples: create, group scope
      | method | scope | tokens                                                                                        | item | problem |
      | POST   | group | /accounts/{account}/core/v1/groups/33333333-3333-4333-8333-333333333333/users/{member}/tokens |      | 2       |

  @readonly
  Scenario Outline: A user or group that does not exist has no collection (GET, <scope> scope)
    Given I am the admin
    When I send GET to "<tokens><item>"
    Then the response is problem 2

    @list @user-scope
    Examples: list, user scope
      | scope | tokens                                                                        | item |
      | user  | /accounts/{account}/core/v1/users/22222222-2222-4222-8222-222222222222/tokens |      |

    @list @group-scope
    Examples: list, group scope
      | scope | tokens                                                                                        | item |
      | group | /accounts/{account}/core/v1/groups/33333333-3333-4333-8333-333333333333/users/{member}/tokens |      |

    @get @group-scope
    Examples: get, group scope
      | scope | tokens                                                                                        | item                                  |
      | group | /accounts/{account}/core/v1/groups/33333333-3333-4333-8333-333333333333/users/{member}/tokens | /11111111-1111-4111-8111-111111111111 |

  @delete @group-scope
  Scenario: Deleting through a group that does not exist answers problem 1
    Given the member has a token named "no group"
    When I send DELETE to "/accounts/{account}/core/v1/groups/33333333-3333-4333-8333-333333333333/users/{member}/tokens/{id of no group}"
    Then the response is problem 1
    When I send GET to "{user tokens of member}/{id of no group}"
    Then the response status is 200

  @policy @readonly
  Scenario Outline: A malformed account id is refused with problem 33, any other malformed id with 35: <case>
    When I send GET to "<path>"
    Then the response is problem <problem>

    @list @user-scope
    Examples: list, user scope
      | case              | path                                                                         | problem |
      | account not an id | /accounts/not-an-account/core/v1/users/{member}/tokens                       | 33      |
      | account uppercase | /accounts/5CEF50E1-A468-4F74-98A6-832D4FD76096/core/v1/users/{member}/tokens | 33      |
      | user not an id    | /accounts/{account}/core/v1/users/not-a-user/tokens                          | 35      |

    @get @user-scope
    Examples: get, user scope
      | case            | path                                                         | problem |
      | token not an id | {user tokens of member}/not-a-token                          | 35      |
      | token uppercase | {user tokens of member}/4E99DA96-152E-4AEE-9207-4B6D04D2238D | 35      |
      | token version 1 | {user tokens of member}/4e99da96-152e-1aee-9207-4b6d04d2238d | 35      |
      | token too short | {user tokens of member}/4e99da96-152e-4aee-9207-4b6d04d2238  | 35      |

    @list @group-scope
    Examples: list, group scope
      | case            | path                                                                 | problem |
      | group not an id | /accounts/{account}/core/v1/groups/not-a-group/users/{member}/tokens | 35      |

  @policy
  Scenario Outline: A malformed token id is refused on update and delete too (<method>)
    When I send <method> to "{<scope> tokens of member}/not-a-token" with body:
      """
      {"type": "application/astra-token", "version": "1.0", "name": "{run} malformed"}
      """
    Then the response is problem 35

    @update @user-scope
    Examples: update, user scope
      | method | scope |
      | PUT    | user  |

    @delete @group-scope
    Examples: delete, group scope
      | method | scope |
      | DELETE | group |

  @policy @readonly
  Scenario Outline: A path outside the API is not found: <path>
    When I send GET to "<path>"
    Then the response is problem 1

    Examples:
      | path                                                  |
      | /                                                     |
      | /accounts/{account}/core/v1/tokens                    |
      | /accounts/{account}/core/v1/users/{member}            |
      | /accounts/{account}/core/v1/users/{member}/tokens/a/b |
      | /accounts/{account}/core/v2/users/{member}/tokens     |
